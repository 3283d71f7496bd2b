package dev.sluice.audio

import dev.sluice.audio.internal.receive
import dev.sluice.audio.internal.receiveEach
import dev.sluice.audio.internal.withCancelWake
import kotlinx.coroutines.channels.Channel
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.junit.jupiter.api.Test

/**
 * Built to find lost wake-ups: one producer thread and one consumer thread on one sample, small
 * enough that model checking tries every interleaving of a put with a wait. A consumer that
 * checks the queue, then says it is waiting, can miss the put in between and wait forever; a
 * producer blocked on a full queue can miss the take that made room. Either shows up as an
 * operation that stays suspended where every sequential order completes it.
 */
class WakeUpLincheckTest {
    private val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)

    @Operation
    suspend fun send(value: Int) = streamer.send(floatArrayOf(value.toFloat()), 0)

    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = false)
    suspend fun receive(): Float? =
        streamer
            .lane(0)
            .receive(null)
            ?.samples
            ?.get(0)

    /**
     * The loop `stream` runs, left after its first chunk: the same protocol from one frame, with
     * its waits woken by the signal alone (a cancellation job watches the consumer, as in `stream`).
     */
    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = false)
    suspend fun receiveEach(): Float? {
        val lane = streamer.lane(0)
        lane.withCancelWake(null) { watch ->
            checkNotNull(watch) { "no job to watch" }
            lane.receiveEach(null, watch) { return it.samples[0] }
        }
        return null
    }

    /** The same loop with cancellable waits, as `stream` runs it with a timeout. */
    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = false)
    suspend fun receiveEachCancellable(): Float? {
        streamer.lane(0).receiveEach(null, null) { return it.samples[0] }
        return null
    }

    @Test
    fun modelChecking() =
        ModelCheckingOptions()
            // The two races, always tried (model checking explores every interleaving of each):
            // a put while the consumer goes to wait, and a take while a producer waits for room.
            .addCustomScenario {
                parallel {
                    thread { actor(WakeUpLincheckTest::send, 1) }
                    thread { actor(WakeUpLincheckTest::receive) }
                }
            }.apply {
                // Two sends against two takes, through receive and through the loop stream runs
                // (its waits woken by the signal alone, and cancellable ones).
                for (take in listOf(
                    WakeUpLincheckTest::receive,
                    WakeUpLincheckTest::receiveEach,
                    WakeUpLincheckTest::receiveEachCancellable,
                )) {
                    addCustomScenario {
                        parallel {
                            thread {
                                actor(WakeUpLincheckTest::send, 1)
                                actor(WakeUpLincheckTest::send, 2)
                            }
                            thread {
                                actor(take)
                                actor(take)
                            }
                        }
                    }
                }
            }
            // Then random scenarios of the same operations.
            .iterations(if (longStress) 100 else 4)
            .invocationsPerIteration(if (longStress) 5_000 else 500)
            .threads(2)
            .actorsPerThread(2)
            // A trusted model, not the lane run sequentially: a lane that loses a wake-up even in a
            // sequential run (a take that never wakes the waiting producer) would agree with itself.
            .sequentialSpecification(OneSlotChannelSpec::class.java)
            .check(this::class)
}

/** The sequential model: a kotlinx channel of one slot; send waits while it is full, receive while it is empty. */
class OneSlotChannelSpec {
    private val channel = Channel<Float>(1)

    suspend fun send(value: Int) = channel.send(value.toFloat())

    suspend fun receive(): Float? = channel.receive()

    suspend fun receiveEach(): Float? = channel.receive()

    suspend fun receiveEachCancellable(): Float? = channel.receive()
}

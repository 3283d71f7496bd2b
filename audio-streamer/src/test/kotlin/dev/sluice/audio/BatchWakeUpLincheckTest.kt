package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.junit.jupiter.api.Test

/**
 * [WakeUpLincheckTest] for a sample read as part of a batch, whose wake-ups go through the batch's
 * ready set rather than the sample's own signal: a put while the batch consumer goes to wait, and
 * a take while a producer waits for room, must never leave an operation suspended.
 */
class BatchWakeUpLincheckTest {
    private val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
    private val cursor = BatchCursor(streamer.allLanes())

    @Operation
    suspend fun send(value: Int) = streamer.send(floatArrayOf(value.toFloat()), 0)

    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = false)
    suspend fun receive(): Float? =
        cursor
            .next(null)
            ?.get(0)
            ?.samples
            ?.get(0)

    @Test
    fun modelChecking() =
        ModelCheckingOptions()
            .addCustomScenario {
                parallel {
                    thread { actor(BatchWakeUpLincheckTest::send, 1) }
                    thread { actor(BatchWakeUpLincheckTest::receive) }
                }
            }.addCustomScenario {
                parallel {
                    thread {
                        actor(BatchWakeUpLincheckTest::send, 1)
                        actor(BatchWakeUpLincheckTest::send, 2)
                    }
                    thread {
                        actor(BatchWakeUpLincheckTest::receive)
                        actor(BatchWakeUpLincheckTest::receive)
                    }
                }
            }.iterations(if (longStress) 100 else 4)
            .invocationsPerIteration(if (longStress) 5_000 else 500)
            .threads(2)
            .actorsPerThread(2)
            .sequentialSpecification(OneSlotChannelSpec::class.java)
            .check(this::class)
}

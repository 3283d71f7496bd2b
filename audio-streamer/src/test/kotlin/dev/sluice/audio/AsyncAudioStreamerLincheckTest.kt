package dev.sluice.audio

import dev.sluice.audio.internal.receive
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.junit.jupiter.api.Test

/** The producer's failure in these tests; one instance, so results compare equal. */
object GenerationFailed : RuntimeException("generation failed") {
    private fun readResolve(): Any = GenerationFailed
}

/**
 * Model checking of the streamer's concurrent operations against their own sequential behaviour:
 * producers put, send, end and fail from two threads while the consumer receives from a third.
 * The consumer's receives share one thread, as a sample has one consumer.
 */
@Param(name = "sample", gen = IntGen::class, conf = "0:1")
@Param(name = "value", gen = IntGen::class, conf = "1:4")
abstract class StreamerLincheckBase(
    overflow: AudioOverflow,
) {
    protected val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 2, overflow = overflow)

    @Operation
    suspend fun send(
        @Param(name = "sample") sample: Int,
        @Param(name = "value") value: Int,
    ) = streamer.send(floatArrayOf(value.toFloat()), sample)

    @Operation
    fun end(
        @Param(name = "sample") sample: Int,
    ) = streamer.end(intArrayOf(sample))

    @Operation
    fun fail() = streamer.fail(GenerationFailed)

    /** Receives one chunk: its value, or null when the sample ended. */
    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = false)
    suspend fun receive(
        @Param(name = "sample") sample: Int,
    ): Float? =
        streamer
            .lane(sample)
            .receive(streamer.timeout)
            ?.samples
            ?.get(0)
}

/** The short run for CI; `-Dsluice.stress=long` runs the long one. */
fun lincheckOptions(): ModelCheckingOptions {
    val long = System.getProperty("sluice.stress") == "long"
    return ModelCheckingOptions()
        .iterations(if (long) 50 else 8)
        .invocationsPerIteration(if (long) 2_000 else 500)
        .threads(3)
        .actorsPerThread(3)
}

class WaitingStreamerLincheckTest : StreamerLincheckBase(AudioOverflow.WAIT) {
    @Test
    fun modelChecking() = lincheckOptions().check(this::class)
}

class DroppingStreamerLincheckTest : StreamerLincheckBase(AudioOverflow.DROP_OLDEST) {
    @Operation
    fun put(
        @Param(name = "sample") sample: Int,
        @Param(name = "value") value: Int,
    ) = streamer.put(floatArrayOf(value.toFloat()), sample)

    @Operation
    fun dropped(): Long = streamer.droppedChunks

    @Test
    fun modelChecking() = lincheckOptions().check(this::class)
}

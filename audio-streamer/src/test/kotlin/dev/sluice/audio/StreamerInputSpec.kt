package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest

fun chunk(vararg values: Float): FloatArray = values

class StreamerInputSpec :
    FunSpec({
        context("an index outside 0 until batchSize fails before anything of the call is enqueued") {
            withData(nameFn = { "index $it" }, -1, 2, Int.MIN_VALUE, Int.MAX_VALUE) { bad ->
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val error =
                    shouldThrow<IllegalArgumentException> {
                        streamer.put(listOf(chunk(1f), chunk(2f), chunk(3f)), intArrayOf(0, 1, bad))
                    }
                error.message shouldBe "sampleIndex must be in 0 until 2, was $bad"
                streamer.queuedChunks shouldBe 0
                shouldThrow<IllegalArgumentException> { streamer.send(listOf(chunk(1f), chunk(2f)), intArrayOf(0, bad)) }
                streamer.queuedChunks shouldBe 0
                shouldThrow<IllegalArgumentException> { streamer.end(intArrayOf(0, bad)) }
                streamer.isCancelled(0) shouldBe false
                streamer.put(chunk(9f), 0) // sample 0 did not end
                streamer.queuedChunks shouldBe 1
                shouldThrow<IllegalArgumentException> { streamer.stream(bad) }
            }
        }

        test("chunks and indices of different sizes fail and enqueue nothing") {
            val streamer = AsyncAudioStreamer(batchSize = 2)
            shouldThrow<IllegalArgumentException> { streamer.put(listOf(chunk(1f)), intArrayOf(0, 1)) }.message shouldContain
                "differ in size"
            streamer.queuedChunks shouldBe 0
        }

        test("a chunk that is not a whole number of sample frames fails and enqueues nothing") {
            val streamer = AsyncAudioStreamer(batchSize = 1, channels = 2)
            shouldThrow<IllegalArgumentException> { streamer.put(listOf(chunk(1f, 2f), chunk(3f)), intArrayOf(0, 0)) }
            streamer.queuedChunks shouldBe 0
        }

        test("bad constructor parameters name the parameter and the value") {
            shouldThrow<IllegalArgumentException> { AsyncAudioStreamer(0) }.message shouldBe "batchSize must be >= 1, was 0"
            shouldThrow<IllegalArgumentException> { AsyncAudioStreamer(1, capacity = 0) }.message shouldBe "capacity must be >= 1, was 0"
            shouldThrow<IllegalArgumentException> { AsyncAudioStreamer(1, channels = 0) }.message shouldBe "channels must be >= 1, was 0"
        }

        test("chunks for an ended sample are dropped and counted") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                streamer.put(chunk(1f), 0)
                streamer.end(intArrayOf(0))
                streamer.end(intArrayOf(0)) // idempotent
                streamer.put(listOf(chunk(2f), chunk(3f)), intArrayOf(0, 1))
                streamer.droppedChunks shouldBe 1
                streamer.droppedChunks(0) shouldBe 1
                streamer.stream(0).toList().map { it.samples.toList() } shouldBe listOf(listOf(1f))
                streamer.queuedChunks shouldBe 1
            }
        }

        test("sequence and startFrame count per sample, in sample frames") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, channels = 2)
                streamer.put(listOf(FloatArray(4), FloatArray(6), FloatArray(2)), intArrayOf(0, 1, 0))
                streamer.end()
                streamer.stream(0).toList().map { it.index to it.startOffset } shouldBe listOf(0L to 0L, 1L to 2L)
                streamer.stream(1).toList().map { it.index to it.startOffset } shouldBe listOf(0L to 0L)
            }
        }

        test("a second collector of a sample is an IllegalStateException") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                streamer.end()
                streamer.stream(0).toList()
                shouldThrow<IllegalStateException> { streamer.stream(0).toList() }.message shouldBe "sample 0 already has a consumer"
                shouldThrow<IllegalStateException> { streamer.batch().toList() }
                shouldThrow<IllegalStateException> { BlockingAudioReader(streamer).iterator(0) }
            }
        }
    })

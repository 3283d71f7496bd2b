package dev.sluice.audio

import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.SampleEncoding
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.seconds

// Behaviour that mutation testing showed no test pinned down: value semantics, the smallest
// accepted settings, the suspended paths of the operators and of a receiver, and what closing a
// blocking iterator does with the chunk it had already taken.

private class Boom : RuntimeException("boom")

/** A collector that suspends on every item and then fails: the operator must stop at once and rethrow. */
private suspend fun <T> Flow<T>.failAfterSuspending() {
    shouldThrow<Boom> {
        collect {
            yield()
            throw Boom()
        }
    }
}

/** An upstream of [n] items that counts how many were asked for. */
private class CountingSource<T>(
    private val items: List<T>,
) {
    var taken = 0

    val flow: Flow<T> =
        flow {
            for (item in items) {
                taken++
                emit(item)
            }
        }
}

class EdgeSemanticsSpec :
    FunSpec({
        test("chunks have value equality, hashes that tell each field apart, and say what they hold") {
            val a = AudioChunk(1, 2, floatArrayOf(1f, 2f), 3)
            a shouldBe AudioChunk(1, 2, floatArrayOf(1f, 2f), 3)
            a.hashCode() shouldBe AudioChunk(1, 2, floatArrayOf(1f, 2f), 3).hashCode()
            val others =
                listOf(
                    AudioChunk(0, 2, floatArrayOf(1f, 2f), 3),
                    AudioChunk(1, 0, floatArrayOf(1f, 2f), 3),
                    AudioChunk(1, 2, floatArrayOf(1f, 9f), 3),
                    AudioChunk(1, 2, floatArrayOf(1f, 2f), 0),
                )
            for (other in others) {
                other shouldNotBe a
                other.hashCode() shouldNotBe a.hashCode()
            }
            a.toString() shouldBe "AudioChunk(sampleIndex=1, index=2, startOffset=3, samples=2)"
        }

        test("frames have value equality over every field, count stereo sample frames, and say what they hold") {
            // Stereo: 3 sample frames of context, 2 new, 1 of padding = 12 values.
            val values = FloatArray(12) { it.toFloat() }
            val frame = AudioFrame(4, values, 2, 3, 1, 5, 6, true)
            frame.channels shouldBe 2
            frame.index shouldBe 5L
            frame.newSize shouldBe 2
            frame.newOffset shouldBe 6
            frame.newLength shouldBe 4
            frame.newSamples().toList() shouldContainExactly listOf(6f, 7f, 8f, 9f)
            frame shouldBe AudioFrame(4, values.copyOf(), 2, 3, 1, 5, 6, true)
            frame.hashCode() shouldBe AudioFrame(4, values.copyOf(), 2, 3, 1, 5, 6, true).hashCode()
            val changed = values.copyOf().also { it[11] = -1f }
            val others =
                listOf(
                    AudioFrame(0, values, 2, 3, 1, 5, 6, true),
                    AudioFrame(4, changed, 2, 3, 1, 5, 6, true),
                    AudioFrame(4, values, 2, 2, 1, 5, 6, true),
                    AudioFrame(4, values, 2, 3, 0, 5, 6, true),
                    AudioFrame(4, values, 2, 3, 1, 0, 6, true),
                    AudioFrame(4, values, 2, 3, 1, 5, 0, true),
                    AudioFrame(4, values, 2, 3, 1, 5, 6, false),
                )
            for (other in others) {
                other shouldNotBe frame
                other.hashCode() shouldNotBe frame.hashCode()
            }
            AudioFrame(4, values, 1, 3, 1, 5, 6, true) shouldNotBe frame
            frame.toString() shouldBe
                "AudioFrame(sampleIndex=4, index=5, startOffset=6, values=12, contextSize=3, paddingSize=1, isFinal=true)"
        }

        test("an evicted chunk's error says where the client can resume") {
            val e = AudioChunkEvictedException(2, 3, 7)
            e.sampleIndex shouldBe 2
            e.message shouldBe
                "sample 2: chunk 3 was evicted from the replay window (chunks up to 7 are gone; resume at 8 or later)"
        }

        test("a replay accepts its smallest settings and rejects the next one down") {
            val scope = CoroutineScope(Job())
            try {
                val streamer = AsyncAudioStreamer(batchSize = 3)
                val replay = AudioReplay(streamer, scope, capacity = 1, resumeWindowMillis = 0)
                replay.batchSize shouldBe 3
                replay.capacity shouldBe 1
                replay.resumeWindowMillis shouldBe 0L
                shouldThrow<IllegalArgumentException> { AudioReplay(streamer, scope, capacity = 0) }.message shouldBe
                    "capacity must be >= 1, was 0"
                shouldThrow<IllegalArgumentException> { AudioReplay(streamer, scope, resumeWindowMillis = -1) }.message shouldBe
                    "resumeWindowMillis must be >= 0, was -1"
            } finally {
                scope.cancel()
            }
        }

        test("send of a list waits for room with WAIT, chunk by chunk, in order") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 1)
                val sent =
                    async {
                        streamer.send(listOf(chunk(1f), chunk(2f), chunk(3f)), intArrayOf(0, 0, 1))
                        true
                    }
                runCurrent()
                sent.isCompleted shouldBe false // the second chunk waits for room in sample 0
                streamer.queuedChunks shouldBe 1
                val receiver = streamer.receiver(0)
                receiver.receive()!!.samples[0] shouldBe 1f
                sent.await() shouldBe true
                receiver.receive()!!.samples[0] shouldBe 2f
                streamer.receiver(1).receive()!!.samples[0] shouldBe 3f
                streamer.droppedChunks shouldBe 0L
            }
        }

        test("the streamer, a receiver and a blocking reader say what they are") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 4, overflow = AudioOverflow.DROP_OLDEST, channels = 2)
            streamer.toString() shouldBe "AsyncAudioStreamer(batchSize=2, capacity=4, overflow=DROP_OLDEST, timeout=null, channels=2)"
            val receiver = streamer.receiver(1)
            receiver.sampleIndex shouldBe 1
            receiver.toString() shouldBe "SampleReceiver(sampleIndex=1, closed=false)"
            receiver.close()
            receiver.toString() shouldBe "SampleReceiver(sampleIndex=1, closed=true)"
            BlockingAudioReader(streamer).toString() shouldBe "BlockingAudioReader($streamer)"
        }

        test("receives that race on one receiver take turns: each gets its own chunk") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val receiver = streamer.receiver(0)
                // The first waits for a chunk holding the receiver's lock; the others wait for the lock.
                val first = async { receiver.receive() }
                val second = async { receiver.receive(10.seconds) }
                val third = async { receiver.receive() }
                runCurrent()
                streamer.put(chunk(1f), 0)
                streamer.put(chunk(2f), 0)
                streamer.end()
                listOf(first.await(), second.await(), third.await()).map { it?.samples?.get(0) } shouldBe listOf(1f, 2f, null)
            }
        }

        test("closing a blocking iterator that had taken a chunk counts that chunk as dropped") {
            val streamer = AsyncAudioStreamer(batchSize = 2)
            streamer.put(chunk(1f), 0)
            val single = BlockingAudioReader(streamer).iterator(0)
            single.hasNext() shouldBe true
            single.close()
            streamer.droppedChunks(0) shouldBe 1L

            val batch = AsyncAudioStreamer(batchSize = 2)
            batch.put(chunk(1f), 0)
            batch.put(chunk(2f), 1)
            val batches = BlockingAudioReader(batch).batches()
            batches.hasNext() shouldBe true
            batches.close()
            batch.droppedChunks(0) shouldBe 1L
            batch.droppedChunks(1) shouldBe 1L
        }

        test("operators stop at once when a collector fails after suspending") {
            runTest {
                val items = CountingSource((0 until 10).toList())
                items.flow.chunked(FixedChunkPolicy(1)).failAfterSuspending()
                items.taken shouldBe 1

                val bursts = CountingSource(List(10) { AudioChunk(0, it.toLong(), FloatArray(4), it * 4L) })
                bursts.flow.reframe(FixedChunkPolicy(4)).failAfterSuspending()
                bursts.taken shouldBe 1

                val bytes = CountingSource(List(10) { ByteArray(4) })
                bytes.flow.decodePcm(SampleEncoding.S16_LE).failAfterSuspending()
                bytes.taken shouldBe 1
            }
        }

        test("operators deliver everything to a collector that suspends on every item") {
            runTest {
                val got = ArrayList<Int>()
                CountingSource((0 until 5).toList()).flow.chunked(FixedChunkPolicy(2)).collect {
                    yield()
                    got += it.items
                }
                got shouldBe listOf(0, 1, 2, 3, 4)
                CountingSource(List(3) { AudioChunk(0, it.toLong(), FloatArray(4) { v -> v.toFloat() }, it * 4L) })
                    .flow
                    .reframe(FixedChunkPolicy(6))
                    .take(2)
                    .toList()
                    .map { it.newSize } shouldBe listOf(6, 6)
            }
        }

        test("a replay client that fails after suspending is not acknowledged past its failure") {
            val scope = CoroutineScope(Job())
            try {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 1)
                    val replay = AudioReplay(streamer, scope, capacity = 2)
                    streamer.put(chunk(1f), 0)
                    streamer.put(chunk(2f), 0)
                    streamer.end()
                    replay.chunks(0).failAfterSuspending()
                    // Nothing was acknowledged, so a new client still gets both chunks from the start.
                    replay.chunks(0).toList().map { it.samples[0] } shouldBe listOf(1f, 2f)
                    replay.retainedChunks(0) shouldBe 2
                }
            } finally {
                scope.cancel()
            }
        }

        test("a collector that suspends on every item still ends a replay of an ended sample") {
            val scope = CoroutineScope(Job())
            try {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 1)
                    val replay = AudioReplay(streamer, scope)
                    val received = launch { replay.chunks(0).collect { yield() } }
                    streamer.put(chunk(1f), 0)
                    streamer.end()
                    received.join()
                    received.isCancelled shouldBe false
                }
            } finally {
                scope.cancel()
            }
        }
    })

package dev.sluice.audio

import dev.sluice.audio.internal.WakeSignal
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
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import java.util.concurrent.locks.LockSupport
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
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

        test("a blocking iterator takes queued chunks on its own thread, waits for the next, and ends or fails as the sample does") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 8)
            repeat(3) { streamer.put(chunk(it.toFloat()), 0) }
            val chunks = BlockingAudioReader(streamer).iterator(0)
            List(3) { chunks.next().samples[0] } shouldBe listOf(0f, 1f, 2f)
            // The queue is empty now: the next chunk comes while this thread waits for it.
            val consumer = Thread.currentThread()
            val producer =
                thread {
                    val deadline = System.nanoTime() + 10_000_000_000L
                    while (consumer.state != Thread.State.WAITING && consumer.state != Thread.State.TIMED_WAITING) {
                        check(System.nanoTime() < deadline) { "the consumer never waited" }
                        Thread.yield()
                    }
                    streamer.put(chunk(3f), 0)
                    streamer.put(chunk(4f), 0)
                    streamer.end(intArrayOf(0))
                }
            chunks.next().samples[0] shouldBe 3f
            producer.join()
            chunks.next().samples[0] shouldBe 4f
            chunks.hasNext() shouldBe false
            chunks.close()

            // A failure after a queued chunk: the chunk first, then the producer's own cause.
            val cause = IllegalStateException("model crashed")
            streamer.put(chunk(5f), 1)
            streamer.fail(cause) // sample 0 ended: only sample 1 fails
            val failing = BlockingAudioReader(streamer).iterator(1)
            failing.next().samples[0] shouldBe 5f
            shouldThrow<IllegalStateException> { failing.hasNext() } shouldBe cause
        }

        test("an interrupted thread's blocking iterator throws InterruptedException even with a chunk queued, and cancels") {
            val streamer = AsyncAudioStreamer(batchSize = 1)
            streamer.put(chunk(1f), 0)
            val chunks = BlockingAudioReader(streamer).iterator(0)
            Thread.currentThread().interrupt()
            try {
                shouldThrow<InterruptedException> { chunks.hasNext() }
            } finally {
                Thread.interrupted()
            }
            // Like any error from hasNext(), it closed the iterator: the sample is cancelled and its
            // queued chunk counted as dropped.
            streamer.droppedChunks(0) shouldBe 1L
            streamer.isCancelled(0) shouldBe true
        }

        test("a blocking iterator's thread parks while it waits, and an interrupt or a cancel from another thread ends the wait") {
            // The timeout only bounds the test if a helper thread failed to end a wait.
            val streamer = AsyncAudioStreamer(batchSize = 2, timeout = 60.seconds)
            val consumer = Thread.currentThread()

            // Interrupted while it waits: InterruptedException, the interrupt cleared, the sample cancelled.
            var blocker: Any? = null
            val interrupter =
                thread {
                    awaitWaiting(consumer)
                    blocker = LockSupport.getBlocker(consumer)
                    consumer.interrupt()
                }
            val interrupted = BlockingAudioReader(streamer).iterator(0)
            try {
                shouldThrow<InterruptedException> { interrupted.hasNext() }
                Thread.currentThread().isInterrupted shouldBe false
            } finally {
                Thread.interrupted()
            }
            interrupter.join()
            (blocker is WakeSignal) shouldBe true // parked on the lane's signal, not in an event loop
            streamer.isCancelled(0) shouldBe true

            // Cancelled by the producer's side while it waits: the cancellation, at once.
            val canceller =
                thread {
                    awaitWaiting(consumer)
                    streamer.cancel(1)
                }
            val cancelled = BlockingAudioReader(streamer).iterator(1)
            shouldThrow<AudioSampleCancelledException> { cancelled.hasNext() }
            canceller.join()
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

        test("a send cancelled while it waits for room sends none of the chunks after it") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 1)
                streamer.put(chunk(0f), 0)
                val sender = launch { streamer.send(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 1)) }
                runCurrent()
                streamer.lane(0).waitingProducerCount shouldBe 1
                sender.cancel()
                runCurrent()
                sender.isCancelled shouldBe true
                streamer.queuedChunks shouldBe 1 // sample 1 got nothing
                streamer.lane(0).waitingProducerCount shouldBe 0
            }
        }

        test("a producer that waited and got through is no longer counted as waiting") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
                streamer.put(chunk(0f), 0)
                val sender = launch { streamer.send(chunk(1f), 0) }
                runCurrent()
                streamer.lane(0).waitingProducerCount shouldBe 1
                streamer.receiver(0).receive()!!.samples[0] shouldBe 0f
                runCurrent()
                sender.isCompleted shouldBe true
                streamer.lane(0).waitingProducerCount shouldBe 0
                streamer.queuedChunks shouldBe 1
            }
        }

        test("send of a list with FAIL is all or nothing, counting every chunk a sample gets") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 2, overflow = AudioOverflow.FAIL)
                shouldThrow<AudioStreamOverflowException> {
                    streamer.send(listOf(chunk(1f), chunk(2f), chunk(3f)), intArrayOf(0, 0, 0))
                }.message shouldBe "sample 0 is full: 0 of 2 chunks queued, 3 more put"
                streamer.queuedChunks shouldBe 0
                streamer.put(listOf(chunk(1f), chunk(2f), chunk(3f)), intArrayOf(1, 0, 1))
                streamer.queuedChunks shouldBe 3
                shouldThrow<AudioStreamOverflowException> {
                    streamer.send(listOf(chunk(4f), chunk(5f)), intArrayOf(0, 1))
                }.message shouldBe "sample 1 is full: 2 of 2 chunks queued, 1 more put"
                streamer.queuedChunks shouldBe 3 // sample 0 had room, and got nothing either
            }
        }

        test("an all-or-nothing put lets go of every sample's lock, when it succeeds and when it throws") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 2, overflow = AudioOverflow.FAIL)
            streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 0))
            shouldThrow<AudioStreamOverflowException> { streamer.put(listOf(chunk(3f), chunk(4f)), intArrayOf(1, 0)) }
            // Another thread needs both locks: they must have been let go of.
            val other =
                thread(isDaemon = true) {
                    streamer.put(chunk(5f), 1)
                    streamer.end()
                }
            other.join(10_000) // a bounded wait, not a poll
            other.isAlive shouldBe false
            streamer.queuedChunks shouldBe 3
        }

        test("all-or-nothing puts of two threads, in opposite sample orders, never deadlock") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = AsyncAudioStreamer.UNLIMITED, overflow = AudioOverflow.FAIL)
            val rounds = 20_000
            val threads =
                listOf(intArrayOf(0, 1), intArrayOf(1, 0)).map { order ->
                    thread(isDaemon = true) { repeat(rounds) { streamer.put(listOf(chunk(1f), chunk(2f)), order) } }
                }
            threads.forEach { it.join(30_000) } // a bounded wait: a deadlock leaves them alive
            threads.map { it.isAlive } shouldBe listOf(false, false)
            streamer.queuedChunks shouldBe 4 * rounds
        }

        test("a stream or batch collector that fails after suspending ends it: its error propagates, and the rest is dropped") {
            runTest {
                val ended = AsyncAudioStreamer(batchSize = 1)
                ended.put(chunk(1f), 0)
                ended.put(chunk(2f), 0)
                ended.end()
                ended.stream(0).failAfterSuspending()
                ended.queuedChunks shouldBe 1 // cancelling a sample that ended changes nothing

                val open = AsyncAudioStreamer(batchSize = 1)
                open.put(chunk(1f), 0)
                open.put(chunk(2f), 0)
                open.stream(0).failAfterSuspending()
                open.droppedChunks(0) shouldBe 1L
                open.isCancelled(0) shouldBe true

                val batch = AsyncAudioStreamer(batchSize = 2)
                batch.put(chunk(1f), 0)
                batch.put(chunk(3f), 0)
                batch.put(chunk(2f), 1)
                batch.batch().failAfterSuspending()
                batch.droppedChunks(0) shouldBe 1L
                batch.droppedChunks(1) shouldBe 0L
                batch.isCancelled(1) shouldBe true
            }
        }

        test("a blocking iterator whose wait times out throws, for one sample and for the batch") {
            val streamer = AsyncAudioStreamer(batchSize = 1, timeout = 50.milliseconds)
            shouldThrow<AudioStreamTimeoutException> { BlockingAudioReader(streamer).iterator(0).hasNext() }
            val batch = AsyncAudioStreamer(batchSize = 2, timeout = 50.milliseconds)
            shouldThrow<AudioStreamTimeoutException> { BlockingAudioReader(batch).batches().hasNext() }
        }

        test("a burst that completes no value emits nothing") {
            runTest {
                val values = flowOf(byteArrayOf(1), byteArrayOf(0)).decodePcm(SampleEncoding.S16_LE).toList()
                values.map { it.size } shouldBe listOf(1)
            }
        }

        test("a replay client asking for exactly the last evicted chunk is told it is gone") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope, capacity = 1)
                (0 until 3).forEach { streamer.put(chunk(it.toFloat()), 0) }
                streamer.end()
                replay.chunks(0).toList().map { it.index } shouldBe listOf(0L, 1L, 2L)
                val e = shouldThrow<AudioChunkEvictedException> { replay.chunks(0, fromIndex = 1).toList() }
                e.lastEvictedIndex shouldBe 1L
                replay.chunks(0, fromIndex = 2).toList().map { it.index } shouldBe listOf(2L)
            }
        }

        test("an attached replay client outlives the resume window") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope, resumeWindowMillis = 100)
                val got = async { replay.chunks(0).toList() }
                runCurrent()
                advanceTimeBy(1_000)
                streamer.put(chunk(1f), 0)
                streamer.end()
                got.await().map { it.samples[0] } shouldBe listOf(1f)
            }
        }

        test("a replay client replaced by one that came and went stays replaced") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope)
                streamer.put(chunk(0f), 0)
                val first = async { replay.chunks(0, fromIndex = 5).toList() }
                runCurrent() // the first client waits for chunk 5; the pump has put chunk 0 in the window
                // A second client attaches, takes one chunk without acknowledging it, and leaves, all
                // before the first one runs again.
                replay
                    .chunks(0, acknowledgeOnEmit = false)
                    .take(1)
                    .toList()
                    .map { it.index } shouldBe listOf(0L)
                runCurrent()
                first.isCompleted shouldBe true
                first.await() shouldBe emptyList()
            }
        }

        test("a replay of a sample that dropped chunks starts at the first chunk it still has") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 2, overflow = AudioOverflow.DROP_OLDEST)
                (0 until 4).forEach { streamer.put(chunk(it.toFloat()), 0) }
                streamer.end()
                val replay = AudioReplay(streamer, backgroundScope)
                replay.chunks(0).toList().map { it.index } shouldBe listOf(2L, 3L)
                replay.chunks(0, fromIndex = 3).toList().map { it.index } shouldBe listOf(3L)
            }
        }

        test("cancelling a replay sample releases its window, also while the pump waits for room") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope, capacity = 1)
                streamer.put(chunk(0f), 0)
                streamer.put(chunk(1f), 0)
                val client = async { runCatching { replay.chunks(0, acknowledgeOnEmit = false).collect {} } }
                runCurrent() // chunk 0 fills the window; the pump waits for room for chunk 1
                replay.retainedChunks(0) shouldBe 1
                replay.cancel(0)
                runCurrent()
                replay.retainedChunks(0) shouldBe 0
                (client.await().exceptionOrNull() is AudioSampleCancelledException) shouldBe true
                streamer.isCancelled(0) shouldBe true
            }
        }

        test("a producer failure reaches a replay client that was waiting") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope)
                val client = async { runCatching { replay.chunks(0).toList() } }
                runCurrent() // the client and the pump both wait
                streamer.fail(Boom())
                (client.await().exceptionOrNull() is Boom) shouldBe true
            }
        }

        test("a sample cancelled on the streamer itself reaches a waiting replay client (it used to wait forever)") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val replay = AudioReplay(streamer, backgroundScope)
                streamer.put(chunk(1f), 0)
                val client = async { runCatching { replay.chunks(0).map { it.index }.toList() } }
                runCurrent() // the client got chunk 0 and waits for more, and so does the pump
                streamer.cancel(0)
                runCurrent()
                client.isCompleted shouldBe true
                (client.await().exceptionOrNull() is AudioSampleCancelledException) shouldBe true
                replay.retainedChunks(0) shouldBe 0
                shouldThrow<AudioSampleCancelledException> { replay.chunks(0).toList() }
            }
        }

        test("operators rethrow a collector's failure on the final chunk or frame, after it suspended") {
            runTest {
                emptyFlow<Int>().chunked(FixedChunkPolicy(3)).failAfterSuspending()
                flowOf(AudioChunk(0, 0, FloatArray(2), 0)).reframe(FixedChunkPolicy(4), padFinal = true).failAfterSuspending()
            }
        }

        test("a chunk of sample 0 at index 0 and offset 0 has a hash like any other") {
            val zero = AudioChunk(0, 0, floatArrayOf(), 0)
            zero.hashCode() shouldBe AudioChunk(0, 0, floatArrayOf(), 0).hashCode()
            zero.hashCode() shouldNotBe AudioChunk(0, 1, floatArrayOf(), 0).hashCode()
        }

        test("a batch with a timeout delivers a chunk that comes while it waits, before the timeout") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, timeout = 10.seconds)
                val got = async { streamer.batch().take(1).toList() }
                runCurrent() // the batch waits, with 10 s of its timeout left
                streamer.put(chunk(1f), 1)
                got.await().single().keys shouldBe setOf(1)
            }
        }
    })

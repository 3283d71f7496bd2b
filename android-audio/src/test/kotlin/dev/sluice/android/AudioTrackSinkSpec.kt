package dev.sluice.android

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.SampleCancellationListener
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

private const val RATE = 24_000 // 480 sample frames per 20 ms

/** Values k / 32767 for whole k: exact after the sink's 16-bit conversion. */
private fun signal(size: Int): FloatArray = FloatArray(size) { ((it * 37) % 60001 - 30000) / 32767f }

private fun pcm16(values: FloatArray): ShortArray = ShortArray(values.size) { (values[it] * 32767f).let { v -> Math.round(v).toShort() } }

private fun shorts(bytes: ByteArray): ShortArray {
    val buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asShortBuffer()
    return ShortArray(buffer.remaining()).also { buffer.get(it) }
}

private fun floats(bytes: ByteArray): FloatArray {
    val buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer()
    return FloatArray(buffer.remaining()).also { buffer.get(it) }
}

/** Puts [audio] in bursts of [bursts] values on a generator thread, then ends the sample. */
private fun produce(
    engine: AsyncAudioStreamer,
    audio: FloatArray,
    bursts: List<Int>,
): Thread =
    thread(name = "generator") {
        var at = 0
        for (b in bursts) {
            engine.put(audio.copyOfRange(at, at + b), 0)
            at += b
        }
        check(at == audio.size)
        engine.end()
    }

/** A sink on [tracks] that does not touch android.os.Process (absent on a plain JVM). */
private fun sink(
    engine: AsyncAudioStreamer,
    tracks: PcmTrackFactory,
    format: PcmFormat = PcmFormat(RATE),
    timeoutMillis: Long = 2_000,
    prefillFrames: Int = 2,
) = AudioTrackSink(engine, 0, format, 4, prefillFrames, timeoutMillis, tracks) {}

private fun AudioTrackSink.awaitEnd() = check(await(10, TimeUnit.SECONDS)) { "the sink did not end: $this" }

class AudioTrackSinkSpec :
    FunSpec({
        test("every sample reaches the track in order as 16-bit PCM, the short tail included") {
            val audio = signal(3200) // 6 frames of 480 and a tail of 320
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2)
            val tracks = FakeTracks(track)
            val sink = sink(engine, tracks).apply { start() }
            produce(engine, audio, listOf(1000, 1500, 700)).join()
            sink.awaitEnd()

            shorts(track.written()).toList() shouldBe pcm16(audio).toList()
            sink.state shouldBe AudioTrackSink.State.ENDED
            sink.framesWritten shouldBe 3200
            sink.framesPlayed shouldBe 3200
            sink.tailPlayed shouldBe true
            sink.underrunCount shouldBe 3
            tracks.bufferSize shouldBe 4 * 480 * 2 // larger than the minimum of 1000
            // Prefill: two frames before play(); stop() after the last write; release() last.
            track.events.indexOf("play") shouldBe 2
            track.events.takeLast(2) shouldBe listOf("stop", "release")
            track.events.count { it.startsWith("write") } shouldBe 7
            track.headAtRelease shouldBe 3200
            track.afterRelease shouldBe emptyList()
            // Every write came from the sink's own thread, never from a coroutine dispatcher.
            track.writerThreads shouldBe setOf("sluice-audio-track-0")
        }

        test("PCM_FLOAT writes the floats as they are; a large minimum buffer wins") {
            val audio = FloatArray(1500) { (it - 750) / 1000f }
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 4)
            val tracks = FakeTracks(track, minBufferSize = 100_000)
            val sink = sink(engine, tracks, PcmFormat(RATE, 1, PcmEncoding.PCM_FLOAT)).apply { start() }
            produce(engine, audio, listOf(1500)).join()
            sink.awaitEnd()
            floats(track.written()).toList() shouldBe audio.toList()
            tracks.bufferSize shouldBe 100_000
        }

        test("partial writes continue where they stopped") {
            val audio = signal(2000)
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2, acceptPerWrite = 100)
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            produce(engine, audio, listOf(2000)).join()
            sink.awaitEnd()
            shorts(track.written()).toList() shouldBe pcm16(audio).toList()
            // Four frames of 960 bytes take 10 writes each; the 160-byte tail takes 2.
            track.events.count { it.startsWith("write") } shouldBe 42
        }

        test("writes that return 0 are retried with a back-off, not in a spin") {
            val audio = signal(1000)
            val engine = AsyncAudioStreamer(batchSize = 1)
            val stallUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60)
            val track = FakeTrack(frameSize = 2, stalled = { System.nanoTime() < stallUntil })
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            produce(engine, audio, listOf(1000)).join()
            sink.awaitEnd()
            shorts(track.written()).toList() shouldBe pcm16(audio).toList()
            // 60 ms of refusals with a back-off of 1, 2, 4, ... ms (at most one 20 ms frame) takes
            // at most 9 retries; a spinning loop would make thousands.
            check(track.zeroWrites in 1..9) { "${track.zeroWrites} zero writes" }
        }

        test("a track that accepts nothing for the timeout fails the sink, releases it and cancels the sample") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val cancelled = CountDownLatch(1)
            engine.addCancellationListener(SampleCancellationListener { cancelled.countDown() })
            val track = FakeTrack(frameSize = 2, stalled = { true })
            val sink = sink(engine, FakeTracks(track), timeoutMillis = 100).apply { start() }
            engine.put(signal(480), 0)
            sink.awaitEnd()
            sink.state shouldBe AudioTrackSink.State.FAILED
            val failure = sink.failure.shouldBeInstanceOf<AudioTrackException>()
            failure.message shouldBe "the track accepted no data for 100 ms"
            failure.errorCode shouldBe 0
            cancelled.await(5, TimeUnit.SECONDS) shouldBe true
            engine.isCancelled(0) shouldBe true
            track.events.last() shouldBe "release"
            track.afterRelease shouldBe emptyList()
        }

        test("a negative code (ERROR_DEAD_OBJECT) fails the sink with the code, and nothing is written after release") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2, script = listOf(-6))
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            engine.put(signal(960), 0)
            sink.awaitEnd()
            val failure = sink.failure.shouldBeInstanceOf<AudioTrackException>()
            failure.errorCode shouldBe -6
            failure.message shouldContain "ERROR_DEAD_OBJECT"
            engine.isCancelled(0) shouldBe true
            // A failed sink pauses and flushes before it releases.
            track.events shouldBe listOf("write -6", "pause", "flush", "release")
        }

        test("a track that throws fails the sink with that exception and is still released") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val boom = IllegalStateException("write after stop")
            val track = FakeTrack(frameSize = 2, throwOnWrite = boom)
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            engine.put(signal(480), 0)
            sink.awaitEnd()
            sink.failure shouldBe boom
            sink.state shouldBe AudioTrackSink.State.FAILED
            track.events.last() shouldBe "release"
            engine.isCancelled(0) shouldBe true
        }

        test("a slow playback head: release waits until the head reaches the last frame written") {
            val audio = signal(2400)
            val engine = AsyncAudioStreamer(batchSize = 1)
            var reads = 0L
            // The head moves 100 frames per look, behind what was written.
            val track = FakeTrack(frameSize = 2, head = { written -> minOf(written, 100 * ++reads) })
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            produce(engine, audio, listOf(2400)).join()
            sink.awaitEnd()
            track.headAtRelease shouldBe 2400
            sink.tailPlayed shouldBe true
            sink.framesPlayed shouldBe 2400
            track.events.takeLast(2) shouldBe listOf("stop", "release")
        }

        test("a head that never moves: the sink releases after the timeout and says the tail was not confirmed") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2, head = { 0 })
            val sink = sink(engine, FakeTracks(track), timeoutMillis = 100).apply { start() }
            produce(engine, signal(960), listOf(960)).join()
            sink.awaitEnd()
            sink.state shouldBe AudioTrackSink.State.ENDED
            sink.tailPlayed shouldBe false
            sink.framesPlayed shouldBe 0
            track.events.takeLast(2) shouldBe listOf("stop", "release")
        }

        test("cancel mid-stream pauses, flushes and releases under the write lock, and the producer stops") {
            val engine = AsyncAudioStreamer(batchSize = 1, capacity = 2)
            val cancelled = CountDownLatch(1)
            engine.addCancellationListener(SampleCancellationListener { cancelled.countDown() })
            val track = FakeTrack(frameSize = 2)
            val sink = sink(engine, FakeTracks(track)).apply { start() }
            val puts =
                java.util.concurrent.atomic
                    .AtomicInteger()
            val producer =
                thread(name = "endless generator") {
                    try {
                        while (!engine.isCancelled(0)) {
                            engine.put(signal(480), 0)
                            puts.incrementAndGet()
                        }
                    } catch (e: Exception) {
                        // the put that was waiting when the sample was cancelled
                    }
                }
            while (puts.get() < 5) Thread.sleep(1)
            sink.cancel()
            producer.join(10_000)
            producer.isAlive shouldBe false
            sink.awaitEnd()
            sink.state shouldBe AudioTrackSink.State.CANCELLED
            cancelled.await(5, TimeUnit.SECONDS) shouldBe true
            track.events.takeLast(3) shouldBe listOf("pause", "flush", "release")
            track.afterRelease shouldBe emptyList()
            sink.cancel() // twice: nothing happens
            track.events.count { it == "release" } shouldBe 1
        }

        test("a stream shorter than the prefill still plays, then stops") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2)
            val sink = sink(engine, FakeTracks(track), prefillFrames = 4).apply { start() }
            produce(engine, signal(500), listOf(500)).join()
            sink.awaitEnd()
            track.events shouldBe listOf("write 960", "write 40", "play", "stop", "release")
        }

        test("cancel before start: the sink never plays, and start is refused") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val track = FakeTrack(frameSize = 2)
            val sink = sink(engine, FakeTracks(track))
            sink.cancel()
            sink.await(0, TimeUnit.SECONDS) shouldBe true
            sink.state shouldBe AudioTrackSink.State.CANCELLED
            shouldThrow<IllegalStateException> { sink.start() }.message shouldContain "started already"
            track.events shouldBe emptyList()
        }

        test("bad arguments are rejected at construction, naming the value") {
            val engine = AsyncAudioStreamer(batchSize = 2)
            val tracks = FakeTracks(FakeTrack(frameSize = 2))
            val format = PcmFormat(RATE)
            shouldThrow<IllegalArgumentException> { AudioTrackSink(engine, 2, format, tracks = tracks) }.message shouldBe
                "sampleIndex must be in 0 until 2, was 2"
            shouldThrow<IllegalArgumentException> { AudioTrackSink(engine, 0, PcmFormat(RATE, 2), tracks = tracks) }.message shouldBe
                "format has 2 channels, the engine 1"
            shouldThrow<IllegalArgumentException> { AudioTrackSink(engine, 0, format, 0, 1, tracks = tracks) }.message shouldBe
                "bufferFrames must be >= 1, was 0"
            shouldThrow<IllegalArgumentException> { AudioTrackSink(engine, 0, format, 2, 3, tracks = tracks) }.message shouldBe
                "prefillFrames must be in 1..2, was 3"
            shouldThrow<IllegalArgumentException> { AudioTrackSink(engine, 0, format, 2, 1, 0, tracks) }.message shouldBe
                "timeoutMillis must be >= 1, was 0"
            shouldThrow<IllegalArgumentException> { PcmFormat(0) }.message shouldBe "sampleRate must be in 1..768000, was 0"
            shouldThrow<IllegalArgumentException> { PcmFormat(RATE, 3) }.message shouldBe "channels must be 1 or 2, was 3"
        }

        test("a sample that already has a consumer cannot get a sink, and nothing is claimed") {
            val engine = AsyncAudioStreamer(batchSize = 1)
            val first = sink(engine, FakeTracks(FakeTrack(frameSize = 2))).apply { start() }
            val second = sink(engine, FakeTracks(FakeTrack(frameSize = 2)))
            shouldThrow<IllegalStateException> { second.start() }
            second.state shouldBe AudioTrackSink.State.NEW
            first.cancel()
            first.awaitEnd()
        }

        test("PcmFormat is a value with a readable description") {
            PcmFormat(24_000) shouldBe PcmFormat(24_000, 1, PcmEncoding.PCM_16BIT)
            PcmFormat(24_000).hashCode() shouldBe PcmFormat(24_000, 1, PcmEncoding.PCM_16BIT).hashCode()
            PcmFormat(48_000, 2, PcmEncoding.PCM_FLOAT).toString() shouldBe "PcmFormat(48000 Hz, 2 channels, PCM_FLOAT)"
            PcmFormat(24_000).framesPer20Ms shouldBe 480
            PcmFormat(24_000, 2, PcmEncoding.PCM_FLOAT).frameSizeInBytes shouldBe 8
        }
    })

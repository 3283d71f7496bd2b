package dev.sluice.android

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioSampleCancelledException
import dev.sluice.audio.BlockingAudioReader
import dev.sluice.audio.CloseableIterator
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.FloatFrame
import dev.sluice.buffer.FloatReframer
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.LockSupport
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.math.roundToInt

/**
 * Plays one sample of an [AsyncAudioStreamer] through an `AudioTrack` in stream mode, and never
 * cuts its tail.
 *
 * [start] claims the sample's consumer end and starts a dedicated playback thread at urgent-audio
 * priority; nothing runs on a coroutine dispatcher. That thread:
 * - re-frames the audio into 20 ms frames with a [FloatReframer], and writes each frame through a
 *   direct `ByteBuffer`, as 16-bit or float PCM;
 * - sizes the track's buffer as the larger of its minimum and [bufferFrames] frames;
 * - prefills [prefillFrames] frames before `play()`;
 * - loops on partial writes and, without spinning, on writes that return 0, backing off up to one
 *   frame's duration; a negative code, or no progress for [timeoutMillis], fails the sink with an
 *   [AudioTrackException];
 * - at the end of the stream writes the final (short) frame, calls `stop()`, waits until the
 *   playback head reaches the last frame written (at most [timeoutMillis]), then `release()`s.
 *
 * [cancel] (or [close] before the end) pauses, flushes and releases the track under the same lock
 * as the writes, so no write follows a release, and cancels the sample, so that the producer
 * stops. A failure of the track cancels the sample too.
 *
 * One sink plays one sample once. Every method may be called from any thread.
 */
public class AudioTrackSink internal constructor(
    /** The engine whose sample this sink plays. */
    public val engine: AsyncAudioStreamer,
    /** The sample played. */
    public val sampleIndex: Int,
    /** The format of the track; its channels must be the engine's. */
    public val format: PcmFormat,
    /** The track's buffer holds at least this many 20 ms frames. */
    public val bufferFrames: Int,
    /** Frames written before `play()`: 1 to [bufferFrames]. */
    public val prefillFrames: Int,
    /** The bound, in milliseconds, on a track that accepts no data, and on the wait for the tail. */
    public val timeoutMillis: Long,
    private val tracks: PcmTrackFactory,
    private val raisePriority: () -> Unit,
) : AutoCloseable {
    /**
     * A sink for sample [sampleIndex] of [engine] in [format], on tracks from [tracks].
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside the batch, the channels differ
     *   from the engine's, [bufferFrames] < 1, [prefillFrames] is outside `1..bufferFrames`, or
     *   [timeoutMillis] < 1.
     */
    @JvmOverloads
    public constructor(
        engine: AsyncAudioStreamer,
        sampleIndex: Int,
        format: PcmFormat,
        bufferFrames: Int = DEFAULT_BUFFER_FRAMES,
        prefillFrames: Int = DEFAULT_PREFILL_FRAMES,
        timeoutMillis: Long = DEFAULT_TIMEOUT_MILLIS,
        tracks: PcmTrackFactory = AndroidAudioTracks,
    ) : this(engine, sampleIndex, format, bufferFrames, prefillFrames, timeoutMillis, tracks, ::raiseToUrgentAudio)

    init {
        require(sampleIndex in 0 until engine.batchSize) { "sampleIndex must be in 0 until ${engine.batchSize}, was $sampleIndex" }
        require(format.channels == engine.channels) { "format has ${format.channels} channels, the engine ${engine.channels}" }
        require(bufferFrames >= 1) { "bufferFrames must be >= 1, was $bufferFrames" }
        require(prefillFrames in 1..bufferFrames) { "prefillFrames must be in 1..$bufferFrames, was $prefillFrames" }
        require(timeoutMillis >= 1) { "timeoutMillis must be >= 1, was $timeoutMillis" }
    }

    /** Where the sink is in its life. */
    public enum class State {
        /** Not started. */
        NEW,

        /** Started: prefilling, playing, or waiting for the tail. */
        PLAYING,

        /** Every frame was written and the track released. */
        ENDED,

        /** Cancelled before the end; the sample was cancelled. */
        CANCELLED,

        /** The stream or the track failed; see [failure]. The sample was cancelled. */
        FAILED,
    }

    private val lock = ReentrantLock()
    private val ended = java.util.concurrent.CountDownLatch(1)
    private var track: PcmTrack? = null
    private var released = false
    private var thread: Thread? = null

    @Volatile private var stateValue = State.NEW

    @Volatile private var failureValue: Throwable? = null

    @Volatile private var written = 0L

    @Volatile private var played = 0L

    @Volatile private var underruns = 0

    @Volatile private var tailValue = false

    /** The current state. */
    public val state: State get() = stateValue

    /** Why the sink failed, once [state] is [State.FAILED]. */
    public val failure: Throwable? get() = failureValue

    /** Sample frames written to the track so far. */
    public val framesWritten: Long get() = written

    /** Sample frames the track played, as its playback head last reported. */
    public val framesPlayed: Long get() = played

    /** Underruns the track reported, as last read (and at release). */
    public val underrunCount: Int get() = underruns

    /** True once the playback head was seen at the last frame written before release. */
    public val tailPlayed: Boolean get() = tailValue

    /**
     * Claims the sample's consumer end and starts the playback thread.
     *
     * @throws IllegalStateException if the sink was started already, or the sample has another
     *   consumer.
     */
    public fun start() {
        lock.withLock {
            check(stateValue == State.NEW) { "the sink was started already (state $stateValue)" }
            val chunks = BlockingAudioReader(engine).iterator(sampleIndex)
            stateValue = State.PLAYING
            thread =
                Thread({ play(chunks) }, "sluice-audio-track-$sampleIndex").apply {
                    isDaemon = true
                    start()
                }
        }
    }

    /**
     * Stops playback now: pauses, flushes and releases the track, and cancels the sample so that
     * the producer stops. Does nothing after the end; before [start], the sink just never plays.
     */
    public fun cancel() {
        val cancelSample =
            lock.withLock {
                when (stateValue) {
                    State.NEW -> {
                        stateValue = State.CANCELLED
                        ended.countDown()
                        false
                    }
                    State.PLAYING -> {
                        stateValue = State.CANCELLED
                        releaseTrack(cancelled = true)
                        true
                    }
                    else -> false
                }
            }
        if (cancelSample) engine.cancel(sampleIndex)
    }

    /** The same as [cancel]: ends playback unless it already ended. */
    override fun close(): Unit = cancel()

    /**
     * Waits up to [timeout] [unit]s for the sink to end, be cancelled or fail.
     *
     * @return true if it did.
     */
    public fun await(
        timeout: Long,
        unit: TimeUnit,
    ): Boolean = ended.await(timeout, unit)

    /** A description for logs; its format may change. */
    override fun toString(): String =
        "AudioTrackSink(sample $sampleIndex, $format, state $stateValue, $written frames written, $played played, $underruns underruns)"

    private fun play(chunks: CloseableIterator<AudioChunk>) {
        try {
            runCatching(raisePriority) // a device that refuses the priority still plays
            val frameValues = format.framesPer20Ms * format.channels
            val bufferSize = maxOf(tracks.minBufferSize(format), bufferFrames * format.framesPer20Ms * format.frameSizeInBytes)
            val opened =
                lock.withLock {
                    if (stateValue != State.PLAYING) return
                    tracks.open(format, bufferSize).also { track = it }
                }
            val out = ByteBuffer.allocateDirect(frameValues * format.encoding.bytesPerValue).order(ByteOrder.nativeOrder())
            val reframer = FloatReframer(FixedChunkPolicy(format.framesPer20Ms), format.channels)
            var frames = 0
            chunks.use {
                while (chunks.hasNext()) {
                    reframer.push(chunks.next().samples)
                    reframer.forEachReady { frame ->
                        write(opened, frame, out)
                        if (++frames == prefillFrames) locked { opened.play() }
                    }
                }
                reframer.finish()
                reframer.forEachReady { frame -> write(opened, frame, out) }
            }
            if (frames < prefillFrames) locked { opened.play() } // a stream shorter than the prefill
            locked { opened.stop() }
            awaitTail(opened)
            lock.withLock {
                if (stateValue == State.PLAYING) {
                    releaseTrack(cancelled = false)
                    stateValue = State.ENDED
                }
            }
        } catch (e: AudioSampleCancelledException) {
            lock.withLock { if (stateValue == State.PLAYING) stateValue = State.CANCELLED }
        } catch (e: Released) {
            // cancel() released the track; the state says so
        } catch (e: Throwable) {
            val failed =
                lock.withLock {
                    (stateValue == State.PLAYING).also {
                        if (it) {
                            failureValue = e
                            stateValue = State.FAILED
                        }
                    }
                }
            if (failed) engine.cancel(sampleIndex)
        } finally {
            chunks.close()
            lock.withLock { releaseTrack(cancelled = stateValue != State.ENDED) }
            ended.countDown()
        }
    }

    /** Writes [frame] whole: partial writes continue where they stopped; 0 backs off; errors throw. */
    private fun write(
        track: PcmTrack,
        frame: FloatFrame,
        out: ByteBuffer,
    ) {
        encode(frame, out)
        var stalledSince = 0L
        var backoffNanos = MIN_BACKOFF_NANOS
        while (out.hasRemaining()) {
            val before = out.position()
            val n = locked { track.write(out, out.remaining()) }
            when {
                n > 0 -> {
                    // A track that reports bytes without moving the position is moved here.
                    if (out.position() == before) out.position(before + minOf(n, out.remaining()))
                    stalledSince = 0L
                    backoffNanos = MIN_BACKOFF_NANOS
                }
                n == 0 -> {
                    val now = System.nanoTime()
                    if (stalledSince == 0L) stalledSince = now
                    if (now - stalledSince > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                        throw AudioTrackException("the track accepted no data for $timeoutMillis ms", 0)
                    }
                    LockSupport.parkNanos(backoffNanos)
                    backoffNanos = minOf(backoffNanos * 2, frameNanos())
                }
                else -> throw AudioTrackException("AudioTrack.write returned ${errorName(n)} ($n)", n)
            }
        }
        written += frame.newSize.toLong()
    }

    /** Waits, paced by the audio clock, until the head reaches the last frame written, or the bound. */
    private fun awaitTail(track: PcmTrack) {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
        while (true) {
            val head = locked { track.playbackHeadPosition.also { played = minOf(it, written) } }
            if (head >= written) {
                tailValue = true
                return
            }
            val left = deadline - System.nanoTime()
            if (left <= 0) return
            // The frames still to play take this long; never sleep more than one frame at a time.
            val toPlay = TimeUnit.SECONDS.toNanos(written - head) / format.sampleRate
            LockSupport.parkNanos(minOf(left, toPlay, frameNanos()).coerceAtLeast(MIN_BACKOFF_NANOS))
        }
    }

    /** Runs [action] on the track under the lock, unless the track was released. */
    private inline fun <T> locked(action: () -> T): T =
        lock.withLock {
            if (released) throw Released()
            action()
        }

    /** Releases the track once: pause and flush first when cancelled. Called under the lock. */
    private fun releaseTrack(cancelled: Boolean) {
        if (released) return
        released = true
        val t = track ?: return
        try {
            runCatching { underruns = t.underrunCount }
            runCatching { played = minOf(t.playbackHeadPosition, written) }
            if (cancelled) {
                runCatching { t.pause() }
                runCatching { t.flush() }
            }
        } finally {
            t.release()
        }
    }

    private fun encode(
        frame: FloatFrame,
        out: ByteBuffer,
    ) {
        out.clear()
        val values = frame.array
        val end = frame.offset + frame.length
        when (format.encoding) {
            PcmEncoding.PCM_16BIT -> for (i in frame.offset until end) out.putShort(toPcm16(values[i]))
            PcmEncoding.PCM_FLOAT -> for (i in frame.offset until end) out.putFloat(values[i])
        }
        out.flip()
    }

    private fun frameNanos(): Long = TimeUnit.SECONDS.toNanos(format.framesPer20Ms.toLong()) / format.sampleRate

    /** Thrown inside the playback thread when [cancel] released the track. */
    private class Released : RuntimeException(null, null, false, false)

    /** Defaults. */
    public companion object {
        /** The default buffer: four 20 ms frames. */
        public const val DEFAULT_BUFFER_FRAMES: Int = 4

        /** The default prefill: two 20 ms frames. */
        public const val DEFAULT_PREFILL_FRAMES: Int = 2

        /** The default bound on a stalled track and on the tail: 2 seconds. */
        public const val DEFAULT_TIMEOUT_MILLIS: Long = 2_000

        private const val MIN_BACKOFF_NANOS = 1_000_000L

        /** The 16-bit value of [value]: clamped to [-1, 1], scaled by 32767, rounded. */
        internal fun toPcm16(value: Float): Short = (value.coerceIn(-1f, 1f) * Short.MAX_VALUE).roundToInt().toShort()

        private fun errorName(code: Int): String =
            when (code) {
                -1 -> "ERROR"
                -2 -> "ERROR_BAD_VALUE"
                -3 -> "ERROR_INVALID_OPERATION"
                -6 -> "ERROR_DEAD_OBJECT"
                else -> "error"
            }
    }
}

/** Raises the calling thread to Android's urgent-audio priority. */
private fun raiseToUrgentAudio() {
    android.os.Process.setThreadPriority(android.os.Process.THREAD_PRIORITY_URGENT_AUDIO)
}

package dev.sluice.audio

import dev.sluice.audio.internal.Lease
import dev.sluice.audio.internal.SampleLane
import dev.sluice.audio.internal.receive
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlin.time.Duration

/**
 * The consumer's handle on one sample of an [AsyncAudioStreamer], for taking chunks one at a time
 * rather than collecting a [kotlinx.coroutines.flow.Flow]. It is a consumer end, opened by
 * [AsyncAudioStreamer.receiver]: close it when done, and closing it before the sample ended
 * cancels the sample.
 *
 * Calls to [receive] may come from any coroutine; they are served one at a time, in order. A
 * receive that is cancelled while it waits takes nothing: the next receive gets the next chunk.
 *
 * **Time out with [receive]`(timeout)`, not with `withTimeoutOrNull { receive() }`.** A caller's
 * timeout may fire just as `receive()` returns, and then `withTimeoutOrNull` throws the chunk away:
 * it is neither delivered nor counted as dropped. `receive(timeout)` times only the wait, so a chunk
 * is either returned or still queued.
 */
public class SampleReceiver internal constructor(
    private val lane: SampleLane,
    private val lease: Lease,
    private val timeout: Duration?,
) : AutoCloseable {
    private val mutex = Mutex()

    /** The sample this receiver reads. */
    public val sampleIndex: Int get() = lane.index

    /**
     * The next chunk, or null once the sample has ended. Each wait lasts at most the streamer's
     * timeout.
     *
     * @throws AudioStreamTimeoutException when no chunk comes within the streamer's timeout; the
     *   sample stays open, so the caller may try again or [close].
     * @throws AudioSampleCancelledException if the sample was cancelled (or this receiver closed).
     * @throws Throwable the producer's cause, after [AsyncAudioStreamer.fail] and the chunks
     *   queued before it.
     */
    public suspend fun receive(): AudioChunk? = mutex.withLock { lane.receive(timeout) }

    /**
     * The next chunk, or null once the sample has ended, waiting at most [timeout] (instead of the
     * streamer's). On timeout nothing was taken: the chunk that comes later stays queued.
     *
     * @throws AudioStreamTimeoutException when no chunk comes within [timeout]; the sample stays open.
     * @throws IllegalArgumentException if [timeout] is not positive.
     */
    public suspend fun receive(timeout: Duration): AudioChunk? {
        require(timeout.isPositive()) { "timeout must be positive, was $timeout" }
        return mutex.withLock { lane.receive(timeout) }
    }

    /**
     * Counts [chunk], returned by [receive], as dropped: for an adapter that took a chunk but could
     * not hand it on (its own caller gave up meanwhile), so that the accounting stays exact.
     *
     * @throws IllegalArgumentException if [chunk] is not of this receiver's sample.
     */
    public fun drop(chunk: AudioChunk) {
        require(chunk.sampleIndex == lane.index) { "chunk of sample ${chunk.sampleIndex} dropped by the receiver of sample ${lane.index}" }
        lane.countDropped()
    }

    /** Cancels the sample unless it has ended; see [AsyncAudioStreamer.cancel]. Idempotent. */
    override fun close() {
        lease.close()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "SampleReceiver(sampleIndex=$sampleIndex, closed=${lease.isClosed})"
}

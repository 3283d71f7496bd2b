package dev.sluice.audio

import dev.sluice.audio.internal.SampleLane
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * The consumer's handle on one sample of an [AsyncAudioStreamer], for taking chunks one at a time
 * rather than collecting a [kotlinx.coroutines.flow.Flow]. It is the sample's one consumer: get it
 * with [AsyncAudioStreamer.receiver].
 *
 * Calls to [receive] may come from any coroutine; they are served one at a time, in order. A
 * receive that is cancelled while it waits takes nothing: the next receive gets the next chunk.
 * [close] cancels the sample, as a collector that stops early does.
 */
public class SampleReceiver internal constructor(
    private val engine: AsyncAudioStreamer,
    private val lane: SampleLane,
) : AutoCloseable {
    private val mutex = Mutex()

    /** The sample this receiver reads. */
    public val sampleIndex: Int get() = lane.index

    /**
     * The next chunk, or null once the sample has ended (or this receiver was closed).
     *
     * @throws AudioStreamTimeoutException when no chunk comes within the streamer's timeout; the
     *   sample stays open, so the caller may try again or [close].
     * @throws Throwable the producer's cause, after [AsyncAudioStreamer.fail] and the chunks
     *   queued before it.
     */
    public suspend fun receive(): AudioChunk? = mutex.withLock { engine.receive(lane) }

    /** Cancels the sample unless it has ended; see [AsyncAudioStreamer.cancel]. Idempotent. */
    override fun close() {
        engine.cancel(lane.index)
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "SampleReceiver(sampleIndex=$sampleIndex)"
}

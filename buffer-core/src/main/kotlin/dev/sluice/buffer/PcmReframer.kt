package dev.sluice.buffer

import dev.sluice.buffer.internal.ReframeCore
import kotlin.jvm.JvmOverloads

/**
 * What [FloatReframer], [ShortReframer] and [IntReframer] share: the policy, the end-of-stream rule and the way
 * frames are taken out. Each subclass adds only `push` for its sample type and the frame type [F].
 *
 * [hasFrame] and [nextFrame] take frames out, or [forEachReady] takes every ready one; [finish]
 * says the producer is done, so the remainder comes out as the final frame (or an empty final
 * frame when nothing remains); [reset] discards everything for a new stream.
 *
 * **Threads.** Not thread-safe: confine a re-framer to one thread.
 */
public abstract class PcmReframer<F : PcmFrame> internal constructor(
    /** How the stream of sample frames is cut into frames. */
    public val policy: ChunkPolicy,
    /** Values per sample frame: 1 for mono, 2 for stereo or I/Q, the codebooks for codec codes. */
    public val channels: Int,
) {
    internal abstract val core: ReframeCore

    internal abstract val frame: F

    /** True once [finish] was called (until [reset]): the producer is done. */
    public val isProducerDone: Boolean get() = core.isProducerDone

    /** True once the final frame was taken (until [reset]). */
    public val isFinished: Boolean get() = core.isFinished

    /** The sample frames pushed since the stream started (or since [reset]). */
    public val pushedFrames: Long get() = core.pushedFrames

    /**
     * Whether [nextFrame] would return a frame now. It changes nothing.
     *
     * @throws IllegalStateException if the policy answers badly about the next frame.
     */
    public fun hasFrame(): Boolean = core.hasFrame()

    /**
     * Returns the next frame, as a view valid until the next call on this re-framer.
     *
     * @throws NoSuchElementException if no frame is ready. Nothing changes.
     * @throws IllegalStateException if the policy answers badly about the next frame. Nothing
     *   changes.
     */
    public fun nextFrame(): F {
        core.next(frame)
        return frame
    }

    /**
     * Calls [action] with every frame that is ready now, in order, and stops when none is. It never
     * takes the endless empty frames of a [ChunkPolicy.continueAfterDone] policy after the stream
     * ended, so it always returns. Each frame is a view valid until the next call, as from
     * [nextFrame].
     */
    public inline fun forEachReady(action: (F) -> Unit) {
        while (true) action(nextUnlessDrained() ?: return)
    }

    /** The next frame, or null if none is ready or only endless empty continuation frames remain. */
    @PublishedApi
    internal fun nextUnlessDrained(): F? = if (core.isDrained() || !core.hasFrame()) null else nextFrame()

    /**
     * Says the producer is done: the remaining values come out as the final frame, or an empty
     * final frame when none remain. With [padFinal], a final frame with fewer new sample frames
     * than the policy asks for is padded with zeros to the full length. Calling it again has no
     * effect.
     */
    @JvmOverloads
    public fun finish(padFinal: Boolean = false) {
        core.finish(padFinal)
    }

    /** Discards every value and frame and starts a new stream. The storage is kept for reuse. */
    public fun reset() {
        core.reset()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "${this::class.simpleName}(policy=$policy, channels=$channels, pushedFrames=${core.pushedFrames}, " +
            "producerDone=${core.isProducerDone}, finished=${core.isFinished})"

    internal companion object {
        const val INITIAL_CAPACITY = 1024
        const val OWN_STORAGE = "cannot push this re-framer's own storage (a frame's array): push a copy, such as frame.toArray()"
    }
}

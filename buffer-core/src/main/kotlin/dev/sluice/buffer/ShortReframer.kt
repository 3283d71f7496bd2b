package dev.sluice.buffer

import dev.sluice.buffer.internal.ReframeCore
import kotlin.jvm.JvmOverloads

/**
 * Re-frames bursts of 16-bit PCM of any size into frames cut by [policy]: the same policies and the
 * same end-of-stream rule as [StreamBuffer], applied to samples.
 *
 * The policy counts sample frames; with [channels] = 2 (stereo, or complex I/Q) one sample frame
 * is two interleaved values, and every length passed to [push] must be a whole number of them.
 *
 * [push] copies a burst in; [hasFrame] and [nextFrame] take frames out; [finish] ends the stream,
 * so the remainder comes out as the final frame (or an empty final frame when nothing remains);
 * [reset] discards everything for a new stream.
 *
 * **Ownership.** [nextFrame] returns a view into the re-framer's own storage, valid until the next
 * call on this re-framer. Copy what must outlive it. In steady state nothing is allocated per push
 * or per frame; the storage grows only as far as the largest burst plus one frame needs.
 *
 * **Threads.** Not thread-safe: confine a re-framer to one thread.
 *
 * @sample dev.sluice.buffer.samples.shortReframerSample
 * @throws IllegalArgumentException if [channels] is less than 1.
 */
public class ShortReframer
    @JvmOverloads
    constructor(
        /** How the stream of sample frames is cut into frames. */
        public val policy: ChunkPolicy,
        /** Values per sample frame: 1 for mono, 2 for stereo or I/Q. */
        public val channels: Int = 1,
    ) {
        private var storage = ShortArray(INITIAL_CAPACITY)
        private val core =
            ReframeCore(
                policy,
                channels,
                object : ReframeCore.Storage {
                    override val capacity: Int get() = storage.size

                    override fun move(
                        from: Int,
                        to: Int,
                        count: Int,
                    ) {
                        storage.copyInto(storage, to, from, from + count)
                    }

                    override fun resize(
                        capacity: Int,
                        keep: Int,
                    ) {
                        val bigger = ShortArray(capacity)
                        storage.copyInto(bigger, 0, 0, keep)
                        storage = bigger
                    }

                    override fun zero(
                        from: Int,
                        count: Int,
                    ) {
                        storage.fill(0.toShort(), from, from + count)
                    }
                },
            )
        private val frame = ShortFrame()

        /** True once [finish] was called (until [reset]). */
        public val isFinished: Boolean get() = core.isFinished

        /** The sample frames pushed since the stream started (or since [reset]). */
        public val pushedFrames: Long get() = core.pushedFrames

        /**
         * Copies [length] values of [array], from [offset], into the re-framer. A burst may have any
         * size, zero included.
         *
         * @throws IllegalArgumentException if [offset] or [length] is negative, the range is outside
         *   [array], or [length] is not a whole number of sample frames. Nothing changes.
         * @throws IllegalStateException after [finish]. Nothing changes.
         */
        @JvmOverloads
        public fun push(
            array: ShortArray,
            offset: Int = 0,
            length: Int = array.size - offset,
        ) {
            val at = core.reserve(array.size, offset, length)
            array.copyInto(storage, at, offset, offset + length)
            core.commit(length)
        }

        /** Whether [nextFrame] would return a frame now. It changes nothing. */
        public fun hasFrame(): Boolean = core.hasFrame()

        /**
         * Returns the next frame, as a view valid until the next call on this re-framer.
         *
         * @throws NoSuchElementException if no frame is ready. Nothing changes.
         */
        public fun nextFrame(): ShortFrame {
            core.next()
            frame.array = storage
            frame.offset = core.frameOffset
            frame.length = core.frameLength
            frame.contextLength = core.frameContextLength
            frame.paddingLength = core.framePadding
            frame.index = core.frameIndex
            frame.startFrame = core.frameStart
            frame.isFinal = core.frameIsFinal
            return frame
        }

        /**
         * Ends the stream: the remaining values come out as the final frame, or an empty final frame
         * when none remain. With [padFinal], a final frame with fewer new sample frames than the
         * policy asks for is padded with zeros to the full length. Calling it again has no effect.
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
            "ShortReframer(policy=$policy, channels=$channels, pushedFrames=${core.pushedFrames}, finished=${core.isFinished})"

        private companion object {
            const val INITIAL_CAPACITY = 1024
        }
    }

package dev.sluice.buffer

import dev.sluice.buffer.internal.ReframeCore
import kotlin.jvm.JvmOverloads

/**
 * Re-frames bursts of 32-bit float PCM of any size into frames cut by [policy]: the same policies
 * and the same end-of-stream rule as [StreamBuffer], applied to samples.
 *
 * The policy counts sample frames; with [channels] = 2 (stereo, or complex I/Q) one sample frame
 * is two interleaved values, and every length passed to [push] must be a whole number of them.
 *
 * **Ownership.** [nextFrame] returns a view into the re-framer's own storage, valid until the next
 * call on this re-framer. Copy what must outlive it, and never push a frame's array back into the
 * re-framer that made it (that is rejected). In steady state nothing is allocated per push or per
 * frame; the storage grows with the data, at most to the largest burst plus one frame.
 *
 * @sample dev.sluice.buffer.samples.floatReframerSample
 * @throws IllegalArgumentException if [channels] is less than 1, or the policy's first frame
 *   cannot fit in one array.
 */
public class FloatReframer
    @JvmOverloads
    constructor(
        policy: ChunkPolicy,
        channels: Int = 1,
    ) : PcmReframer<FloatFrame>(policy, channels) {
        private var storage = FloatArray(INITIAL_CAPACITY)
        override val frame: FloatFrame = FloatFrame(channels).also { it.array = storage }
        override val core: ReframeCore =
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
                        storage = storage.copyOf(capacity).also { frame.array = it }
                    }

                    override fun zero(
                        from: Int,
                        count: Int,
                    ) {
                        storage.fill(0f, from, from + count)
                    }
                },
            )

        /**
         * Copies [length] values of [array], from [offset], into the re-framer. A burst may have any
         * size, zero included.
         *
         * @throws IllegalArgumentException if [offset] is outside the array, [length] is negative
         *   or runs past its end, [length] is not a whole number of sample frames, or [array] is this
         *   re-framer's own storage (a frame's array). Nothing changes.
         * @throws IllegalStateException after [finish]. Nothing changes.
         */
        @JvmOverloads
        public fun push(
            array: FloatArray,
            offset: Int = 0,
            length: Int = array.size - offset,
        ) {
            require(array !== storage) { OWN_STORAGE }
            val at = core.reserve(array.size, offset, length)
            array.copyInto(storage, at, offset, offset + length)
            core.commit(length)
        }
    }

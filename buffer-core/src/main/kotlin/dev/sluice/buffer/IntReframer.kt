package dev.sluice.buffer

import dev.sluice.buffer.internal.ReframeCore
import kotlin.jvm.JvmOverloads

/**
 * Re-frames bursts of 32-bit integers of any size into frames cut by [policy]: the same policies
 * and the same end-of-stream rule as [StreamBuffer], applied to a primitive array. It is the bulk
 * path for codec codes: with [channels] set to the number of codebooks, one sample frame is one
 * codec frame, so the policy counts codec frames and a frame never splits one. It serves 32-bit
 * integer PCM the same way.
 *
 * Where a [StreamBuffer] of `Int` boxes every item and hands out chunks that are safe to keep, an
 * `IntReframer` copies each burst once into its own `IntArray` and hands out views: a block of
 * codes costs one bounds check and one copy, and nothing is allocated per push or per frame in
 * steady state. It takes no ids: the values arrive in order.
 *
 * The policy counts sample frames of [channels] values, and every length passed to [push] must be
 * a whole number of them.
 *
 * **Ownership.** [nextFrame] returns a view into the re-framer's own storage, valid until the next
 * call on this re-framer. Copy what must outlive it ([IntFrame.toArray]), and never push a frame's
 * array back into the re-framer that made it (that is rejected). The storage grows with the data,
 * at most to the largest burst plus one frame.
 *
 * @sample dev.sluice.buffer.samples.intReframerSample
 * @throws IllegalArgumentException if [channels] is less than 1, or the policy's first frame
 *   cannot fit in one array.
 */
public class IntReframer
    @JvmOverloads
    constructor(
        policy: ChunkPolicy,
        channels: Int = 1,
    ) : PcmReframer<IntFrame>(policy, channels) {
        private var storage = IntArray(INITIAL_CAPACITY)
        override val frame: IntFrame = IntFrame(channels).also { it.array = storage }
        override val core: ReframeCore =
            ReframeCore(
                policy,
                channels,
                storage.size,
                move = { from, to, count -> storage.copyInto(storage, to, from, from + count) },
                resize = { capacity -> storage = storage.copyOf(capacity).also { frame.array = it } },
                zero = { from, count -> storage.fill(0, from, from + count) },
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
            array: IntArray,
            offset: Int = 0,
            length: Int = array.size - offset,
        ) {
            require(array !== storage) { OWN_STORAGE }
            val at = core.reserve(array.size, offset, length)
            array.copyInto(storage, at, offset, offset + length)
            core.commit(length)
        }
    }

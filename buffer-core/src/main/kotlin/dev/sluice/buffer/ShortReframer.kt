package dev.sluice.buffer

import dev.sluice.buffer.internal.ReframeCore
import kotlin.jvm.JvmOverloads

/**
 * Re-frames bursts of 16-bit PCM of any size into frames cut by [policy]: the same policies
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
 * @sample dev.sluice.buffer.samples.shortReframerSample
 * @throws IllegalArgumentException if [channels] is less than 1, or the policy's first frame
 *   cannot fit in one array.
 */
public class ShortReframer
    @JvmOverloads
    constructor(
        policy: ChunkPolicy,
        channels: Int = 1,
    ) : PcmReframer<ShortFrame>(policy, channels) {
        private var storage = ShortArray(INITIAL_CAPACITY)
        override val frame: ShortFrame = ShortFrame(channels).also { it.array = storage }
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
            array: ShortArray,
            offset: Int = 0,
            length: Int = array.size - offset,
        ) {
            require(array !== storage) { OWN_STORAGE }
            val at = core.reserve(array.size, offset, length)
            array.copyInto(storage, at, offset, offset + length)
            core.commit(length)
        }

        /**
         * Decodes `bytes[offset until offset + length]` with [decoder], as shorts (floats clamped to [-1, 1] and scaled by 32767), straight into
         * this re-framer's storage: no intermediate array, and no copy beyond the decode itself. The
         * decoder carries a partial sample frame to its next chunk as usual.
         *
         * @return the number of values added: whole sample frames, possibly none.
         * @throws IllegalArgumentException if the decoder's channels differ from [channels], or the
         *   range lies outside [bytes]. Nothing changes.
         * @throws IllegalStateException after [finish], or after the decoder's `finish()`. Nothing
         *   changes.
         */
        @JvmOverloads
        public fun push(
            decoder: PcmDecoder,
            bytes: ByteArray,
            offset: Int = 0,
            length: Int = bytes.size - offset,
        ): Int {
            require(decoder.channels == channels) { "the decoder has ${decoder.channels} channels, this re-framer $channels" }
            require(offset >= 0 && offset <= bytes.size) { "offset must be in 0..${bytes.size}, was $offset" }
            require(length >= 0 && length <= bytes.size - offset) {
                "length must be in 0..${bytes.size - offset} (the bytes from offset $offset), was $length"
            }
            check(!decoder.isFinished) { "cannot decode after the decoder's finish()" }
            val values = decoder.valuesFor(length)
            val at = core.reserve(values, 0, values)
            val written = decoder.decodeShortsInto(bytes, offset, length, storage, at)
            core.commit(written)
            return written
        }
    }

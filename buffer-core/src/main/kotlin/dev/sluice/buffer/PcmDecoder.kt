package dev.sluice.buffer

import kotlin.jvm.JvmField
import kotlin.jvm.JvmOverloads
import kotlin.jvm.JvmStatic

/**
 * How PCM values are laid out in bytes: one of [S16_LE], [S16_BE], [F32_LE] and [F32_BE] (a
 * class of four values rather than an enum, so that it has no synthetic members to document).
 */
public class SampleEncoding private constructor(
    /** The name of the value, for example `S16_LE`. */
    public val name: String,
    /** Bytes per value. */
    public val bytesPerValue: Int,
    /** True when the most significant byte comes first. */
    public val bigEndian: Boolean,
) {
    /** The [name]. */
    override fun toString(): String = name

    /** The four encodings. */
    public companion object {
        /** Signed 16-bit integers, little-endian (WAV, most HTTP and WebSocket TTS bodies). */
        @JvmField
        public val S16_LE: SampleEncoding = SampleEncoding("S16_LE", 2, false)

        /** Signed 16-bit integers, big-endian (FreeTTS, Java Sound's default). */
        @JvmField
        public val S16_BE: SampleEncoding = SampleEncoding("S16_BE", 2, true)

        /** 32-bit IEEE floats, little-endian. */
        @JvmField
        public val F32_LE: SampleEncoding = SampleEncoding("F32_LE", 4, false)

        /** 32-bit IEEE floats, big-endian. */
        @JvmField
        public val F32_BE: SampleEncoding = SampleEncoding("F32_BE", 4, true)

        /** All four, in the order above. */
        @JvmStatic
        public val entries: List<SampleEncoding> = listOf(S16_LE, S16_BE, F32_LE, F32_BE)
    }
}

/**
 * Decodes PCM that arrives as byte chunks split anywhere into whole sample frames of [channels]
 * interleaved values. The partial sample frame at the end of a chunk (half a 16-bit value, or a
 * stereo frame cut between channels) is carried into the next chunk, so any split of a byte
 * stream decodes to exactly what the whole stream decodes to.
 *
 * 16-bit values decode to floats scaled to [-1, 1) (divided by 32768), or to shorts as they are.
 * [decodeInto] writes into the caller's array, so a steady stream allocates nothing per chunk;
 * `FloatReframer.push(decoder, bytes)` and `ShortReframer.push(decoder, bytes)` decode straight
 * into a re-framer's storage.
 *
 * Not thread-safe: one decoder serves one stream on one thread at a time.
 *
 * @sample dev.sluice.buffer.samples.pcmDecoderSample
 */
public class PcmDecoder
    @JvmOverloads
    constructor(
        /** How the bytes encode values. */
        public val encoding: SampleEncoding,
        /** Values per sample frame: at least 1. */
        public val channels: Int = 1,
    ) {
        init {
            require(channels >= 1) { "channels must be >= 1, was $channels" }
        }

        /** Bytes per sample frame. */
        public val frameBytes: Int = encoding.bytesPerValue * channels

        private val carry = ByteArray(frameBytes)
        private val reader = PcmReader(encoding.bigEndian, carry)
        private var carried = 0
        private var finished = false

        /** True after [finish], until [reset]. */
        public val isFinished: Boolean get() = finished

        /** Bytes of a partial sample frame held for the next chunk: 0 until `frameBytes - 1`. */
        public val pendingBytes: Int get() = carried

        /** Whole sample frames decoded so far. */
        public var decodedFrames: Long = 0
            private set

        /** The number of values that decoding [length] more bytes yields (whole frames only). */
        public fun valuesFor(length: Int): Int = (carried + length) / frameBytes * channels

        /**
         * Decodes `bytes[offset until offset + length]` as floats into [out] from [outOffset];
         * returns the number of values written, always a whole number of sample frames.
         *
         * @throws IllegalArgumentException if the range lies outside [bytes], or [out] has no room
         *   for [valuesFor] `(length)` values from [outOffset]; nothing changes then.
         * @throws IllegalStateException after [finish].
         */
        @JvmOverloads
        public fun decodeInto(
            bytes: ByteArray,
            offset: Int,
            length: Int,
            out: FloatArray,
            outOffset: Int = 0,
        ): Int {
            val values = prepare(bytes, offset, length, out.size, outOffset)
            var o = outOffset
            var at = offset
            val end = offset + length
            if (carried > 0) {
                at += completeCarry(bytes, at, length)
                if (carried < frameBytes) return values
                o = floats(carry, 0, frameBytes, out, o)
                carried = 0
            }
            val whole = at + (end - at) / frameBytes * frameBytes
            floats(bytes, at, whole, out, o)
            keepRest(bytes, whole, end)
            return values
        }

        /**
         * Decodes `bytes[offset until offset + length]` as shorts into [out] from [outOffset];
         * 16-bit values are copied as they are, floats are clamped to [-1, 1] and scaled by 32767.
         *
         * @return the number of values written.
         * @throws IllegalArgumentException as [decodeInto] does.
         * @throws IllegalStateException after [finish].
         */
        @JvmOverloads
        public fun decodeShortsInto(
            bytes: ByteArray,
            offset: Int,
            length: Int,
            out: ShortArray,
            outOffset: Int = 0,
        ): Int {
            val values = prepare(bytes, offset, length, out.size, outOffset)
            var o = outOffset
            var at = offset
            val end = offset + length
            if (carried > 0) {
                at += completeCarry(bytes, at, length)
                if (carried < frameBytes) return values
                o = shorts(carry, 0, frameBytes, out, o)
                carried = 0
            }
            val whole = at + (end - at) / frameBytes * frameBytes
            shorts(bytes, at, whole, out, o)
            keepRest(bytes, whole, end)
            return values
        }

        /** Decodes a chunk into a new float array of whole sample frames (possibly empty). */
        @JvmOverloads
        public fun decode(
            bytes: ByteArray,
            offset: Int = 0,
            length: Int = bytes.size - offset,
        ): FloatArray {
            checkRange(bytes, offset, length)
            val out = FloatArray(valuesFor(length))
            decodeInto(bytes, offset, length, out)
            return out
        }

        /** Decodes a chunk into a new short array of whole sample frames (possibly empty). */
        @JvmOverloads
        public fun decodeShorts(
            bytes: ByteArray,
            offset: Int = 0,
            length: Int = bytes.size - offset,
        ): ShortArray {
            checkRange(bytes, offset, length)
            val out = ShortArray(valuesFor(length))
            decodeShortsInto(bytes, offset, length, out)
            return out
        }

        /**
         * Says the byte stream ended. Nothing may be pushed after it.
         *
         * @throws IllegalStateException if a partial sample frame is left over (the source was
         *   truncated); the decoder is still finished, and [pendingBytes] tells how much.
         */
        public fun finish() {
            finished = true
            reader.release()
            check(carried == 0) {
                "the stream ended inside a sample frame: $carried byte${if (carried == 1) "" else "s"} left over " +
                    "of a $frameBytes-byte frame ($encoding, $channels channel${if (channels == 1) "" else "s"}); the source was truncated"
            }
        }

        /** Forgets any partial frame and the finish, to decode a new stream. */
        public fun reset() {
            carried = 0
            finished = false
            decodedFrames = 0
            reader.release()
        }

        /** A description for logs; its format may change. */
        override fun toString(): String = "PcmDecoder($encoding, $channels channels, $decodedFrames frames, $carried bytes pending)"

        private fun checkRange(
            bytes: ByteArray,
            offset: Int,
            length: Int,
        ) {
            require(offset >= 0 && offset <= bytes.size) { "offset must be in 0..${bytes.size}, was $offset" }
            require(length >= 0 && length <= bytes.size - offset) {
                "length must be in 0..${bytes.size - offset} (the bytes from offset $offset), was $length"
            }
        }

        private fun prepare(
            bytes: ByteArray,
            offset: Int,
            length: Int,
            outSize: Int,
            outOffset: Int,
        ): Int {
            check(!finished) { "cannot decode after finish()" }
            checkRange(bytes, offset, length)
            val values = valuesFor(length)
            require(outOffset >= 0 && outOffset <= outSize && values <= outSize - outOffset) {
                "the output has room for ${maxOf(0, outSize - maxOf(0, outOffset))} values from offset $outOffset, $values needed"
            }
            decodedFrames += values / channels
            return values
        }

        /** Moves up to the carried frame's missing bytes from the chunk into it; returns how many. */
        private fun completeCarry(
            bytes: ByteArray,
            at: Int,
            length: Int,
        ): Int {
            val take = minOf(frameBytes - carried, length)
            bytes.copyInto(carry, carried, at, at + take)
            carried += take
            return take
        }

        /** Keeps `bytes[from until end]`, less than a frame, for the next chunk. */
        private fun keepRest(
            bytes: ByteArray,
            from: Int,
            end: Int,
        ) {
            if (from < end) {
                bytes.copyInto(carry, 0, from, end)
                carried = end - from
            }
        }

        /** Decodes the whole values in `bytes[from until to]` into [out] from [o]; returns the next output index. */
        private fun floats(
            bytes: ByteArray,
            from: Int,
            to: Int,
            out: FloatArray,
            o: Int,
        ): Int {
            val n = (to - from) / encoding.bytesPerValue
            if (encoding.bytesPerValue == 2) {
                reader.s16ToFloats(bytes, from, n, out, o, SCALE_16)
            } else {
                reader.f32ToFloats(bytes, from, n, out, o)
            }
            return o + n
        }

        /** As [floats], into shorts: floats are clamped to [-1, 1], scaled by 32767 and rounded. */
        private fun shorts(
            bytes: ByteArray,
            from: Int,
            to: Int,
            out: ShortArray,
            o: Int,
        ): Int {
            val n = (to - from) / encoding.bytesPerValue
            if (encoding.bytesPerValue == 2) {
                reader.s16ToShorts(bytes, from, n, out, o)
            } else {
                var i = from
                for (k in o until o + n) {
                    val bits =
                        if (encoding.bigEndian) {
                            int32(bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3])
                        } else {
                            int32(bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i])
                        }
                    out[k] = (Float.fromBits(bits).coerceIn(-1f, 1f) * Short.MAX_VALUE).roundToShort()
                    i += 4
                }
            }
            return o + n
        }

        private fun Float.roundToShort(): Short = (if (this >= 0f) this + 0.5f else this - 0.5f).toInt().toShort()

        private companion object {
            /** 2^-15: a 16-bit value times this is exactly the value divided by 32768. */
            const val SCALE_16: Float = 1f / 32768f
        }
    }

package dev.sluice.android

/** How samples are written to the track. */
public enum class PcmEncoding(
    /** Bytes per value. */
    public val bytesPerValue: Int,
) {
    /** Signed 16-bit integers; floats are clamped to [-1, 1] and scaled by 32767. */
    PCM_16BIT(2),

    /** 32-bit floats, as they are. */
    PCM_FLOAT(4),
}

/**
 * The format of a played stream: [sampleRate] sample frames per second of [channels] interleaved
 * values (1 or 2), written as [encoding].
 */
public class PcmFormat
    @JvmOverloads
    constructor(
        /** Sample frames per second. */
        public val sampleRate: Int,
        /** Values per sample frame: 1 (mono) or 2 (stereo). */
        public val channels: Int = 1,
        /** How values are written. */
        public val encoding: PcmEncoding = PcmEncoding.PCM_16BIT,
    ) {
        init {
            require(sampleRate in 1..MAX_SAMPLE_RATE) { "sampleRate must be in 1..$MAX_SAMPLE_RATE, was $sampleRate" }
            require(channels == 1 || channels == 2) { "channels must be 1 or 2, was $channels" }
        }

        /** Bytes per sample frame. */
        public val frameSizeInBytes: Int get() = channels * encoding.bytesPerValue

        /** Sample frames in 20 ms: the sink's frame, at least 1. */
        public val framesPer20Ms: Int get() = maxOf(1, sampleRate / 50)

        /** Value equality. */
        override fun equals(other: Any?): Boolean =
            other is PcmFormat && other.sampleRate == sampleRate && other.channels == channels && other.encoding == encoding

        /** Consistent with [equals]. */
        override fun hashCode(): Int = (sampleRate * 31 + channels) * 31 + encoding.hashCode()

        /** For example `PcmFormat(24000 Hz, 1 channel, PCM_16BIT)`. */
        override fun toString(): String = "PcmFormat($sampleRate Hz, $channels channel${if (channels == 1) "" else "s"}, $encoding)"

        private companion object {
            const val MAX_SAMPLE_RATE = 768_000
        }
    }

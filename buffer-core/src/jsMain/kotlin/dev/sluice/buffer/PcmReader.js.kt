package dev.sluice.buffer

/** Kotlin/JS's reader of whole PCM values from bytes: plain byte arithmetic. */
internal actual class PcmReader actual constructor(
    private val bigEndian: Boolean,
    @Suppress("UNUSED_PARAMETER") carry: ByteArray,
) {
    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`, times [scale]. */
    actual fun s16ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
        scale: Float,
    ) {
        for (j in 0 until count) out[o + j] = s16(bytes, from + 2 * j) * scale
    }

    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`. */
    actual fun s16ToShorts(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: ShortArray,
        o: Int,
    ) {
        for (j in 0 until count) out[o + j] = s16(bytes, from + 2 * j)
    }

    /** Decodes `count` 32-bit floats from `bytes[from]` into `out[o]`. */
    actual fun f32ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
    ) {
        for (j in 0 until count) {
            val i = from + 4 * j
            out[o + j] =
                Float.fromBits(
                    if (bigEndian) {
                        int32(bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3])
                    } else {
                        int32(bytes[i + 3], bytes[i + 2], bytes[i + 1], bytes[i])
                    },
                )
        }
    }

    /** Nothing to forget on Kotlin/JS. */
    actual fun release() {}

    private fun s16(
        bytes: ByteArray,
        i: Int,
    ): Short =
        if (bigEndian) {
            ((bytes[i + 1].toInt() and 0xff) or (bytes[i].toInt() shl 8)).toShort()
        } else {
            ((bytes[i].toInt() and 0xff) or (bytes[i + 1].toInt() shl 8)).toShort()
        }
}

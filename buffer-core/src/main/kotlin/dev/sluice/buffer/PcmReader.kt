package dev.sluice.buffer

/**
 * Reads whole PCM values from bytes into arrays; its fastest form differs by platform (the JVM's
 * in src/jvmMain, Kotlin/JS's in src/jsMain). [carry] is the decoder's partial-frame buffer, read
 * as often as the caller's chunks.
 */
internal expect class PcmReader(
    bigEndian: Boolean,
    carry: ByteArray,
) {
    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`, times [scale]. */
    fun s16ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
        scale: Float,
    )

    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`. */
    fun s16ToShorts(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: ShortArray,
        o: Int,
    )

    /** Decodes `count` 32-bit floats from `bytes[from]` into `out[o]`. */
    fun f32ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
    )

    /** Drops any reference to a caller's array. */
    fun release()
}

/** The 32-bit value of four bytes, most significant first. */
internal fun int32(
    b3: Byte,
    b2: Byte,
    b1: Byte,
    b0: Byte,
): Int = (b3.toInt() shl 24) or ((b2.toInt() and 0xff) shl 16) or ((b1.toInt() and 0xff) shl 8) or (b0.toInt() and 0xff)

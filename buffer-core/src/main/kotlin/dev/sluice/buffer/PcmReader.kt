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

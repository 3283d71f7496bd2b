package dev.sluice.buffer

import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The JVM's reader of whole PCM values from bytes: `ByteBuffer`'s absolute `getShort` and
 * `getFloat`, which the JIT turns into one unaligned load per value (two loads and a shift per
 * value in plain Kotlin). The buffer over the caller's array is kept while the array is the same,
 * so a steady stream over one reused array allocates nothing; [carry] (the decoder's partial
 * frame) has a buffer of its own.
 */
internal actual class PcmReader actual constructor(
    bigEndian: Boolean,
    private val carry: ByteArray,
) {
    private val order: ByteOrder = if (bigEndian) ByteOrder.BIG_ENDIAN else ByteOrder.LITTLE_ENDIAN
    private val carryBuffer: ByteBuffer = ByteBuffer.wrap(carry).order(order)
    private var array: ByteArray? = null
    private var buffer: ByteBuffer = carryBuffer

    private fun over(bytes: ByteArray): ByteBuffer {
        if (bytes === carry) return carryBuffer
        if (bytes !== array) {
            buffer = ByteBuffer.wrap(bytes).order(order)
            array = bytes
        }
        return buffer
    }

    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`, times [scale]. */
    actual fun s16ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
        scale: Float,
    ) {
        val b = over(bytes)
        for (j in 0 until count) out[o + j] = b.getShort(from + 2 * j) * scale
    }

    /** Decodes `count` 16-bit values from `bytes[from]` into `out[o]`. */
    actual fun s16ToShorts(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: ShortArray,
        o: Int,
    ) {
        val b = over(bytes)
        for (j in 0 until count) out[o + j] = b.getShort(from + 2 * j)
    }

    /** Decodes `count` 32-bit floats from `bytes[from]` into `out[o]`. */
    actual fun f32ToFloats(
        bytes: ByteArray,
        from: Int,
        count: Int,
        out: FloatArray,
        o: Int,
    ) {
        val b = over(bytes)
        for (j in 0 until count) out[o + j] = b.getFloat(from + 4 * j)
    }

    /** Forgets the caller's array, so that the decoder does not keep it reachable. */
    actual fun release() {
        array = null
        buffer = carryBuffer
    }
}

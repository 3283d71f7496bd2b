package dev.sluice.examples

import java.io.Closeable
import java.io.File
import java.io.RandomAccessFile

/** Writes mono 16-bit PCM WAV as frames arrive; [close] fills in the header's sizes. */
internal class WavWriter(
    val file: File,
    private val sampleRate: Int,
) : Closeable {
    private val out = RandomAccessFile(file, "rw")
    private var dataBytes = 0L
    private val buffer =
        java.nio.ByteBuffer
            .allocate(2 * 4096)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)

    init {
        out.setLength(0)
        out.write(ByteArray(HEADER))
    }

    /** Appends [length] samples of [samples] from [offset], clipped to [-1, 1]. */
    fun write(
        samples: FloatArray,
        offset: Int = 0,
        length: Int = samples.size - offset,
    ) {
        var i = offset
        while (i < offset + length) {
            buffer.clear()
            while (i < offset + length && buffer.remaining() >= 2) {
                val v = samples[i++].coerceIn(-1f, 1f)
                buffer.putShort((v * Short.MAX_VALUE).toInt().toShort())
            }
            out.write(buffer.array(), 0, buffer.position())
            dataBytes += buffer.position()
        }
    }

    override fun close() {
        val h =
            java.nio.ByteBuffer
                .allocate(HEADER)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        h.put("RIFF".toByteArray()).putInt((36 + dataBytes).toInt()).put("WAVE".toByteArray())
        h
            .put("fmt ".toByteArray())
            .putInt(16)
            .putShort(1)
            .putShort(1)
            .putInt(sampleRate)
            .putInt(sampleRate * 2)
        h.putShort(2).putShort(16)
        h.put("data".toByteArray()).putInt(dataBytes.toInt())
        out.seek(0)
        out.write(h.array())
        out.close()
    }

    private companion object {
        const val HEADER = 44
    }
}

package dev.sluice.grpc

import java.nio.ByteBuffer

/**
 * Turns an edge's items into bytes and back. Both sides of an edge must use the same codec.
 * [decode] may throw on bytes it cannot read; the edge then fails with an [EdgeProtocolException].
 */
public interface EdgeCodec<T> {
    /** The bytes of [item]. */
    public fun encode(item: T): ByteArray

    /** The item that [bytes] encode. */
    public fun decode(bytes: ByteArray): T

    /** Codecs for common item types. */
    public companion object {
        /** UTF-8 strings. */
        @JvmField
        public val STRING: EdgeCodec<String> =
            object : EdgeCodec<String> {
                override fun encode(item: String): ByteArray = item.toByteArray(Charsets.UTF_8)

                override fun decode(bytes: ByteArray): String = String(bytes, Charsets.UTF_8)
            }

        /** 32-bit integers (codec tokens), 4 bytes big-endian. */
        @JvmField
        public val INT: EdgeCodec<Int> =
            object : EdgeCodec<Int> {
                override fun encode(item: Int): ByteArray = ByteBuffer.allocate(4).putInt(item).array()

                override fun decode(bytes: ByteArray): Int {
                    require(bytes.size == 4) { "an Int is 4 bytes, was ${bytes.size}" }
                    return ByteBuffer.wrap(bytes).int
                }
            }

        /** Bytes as they are. */
        @JvmField
        public val BYTES: EdgeCodec<ByteArray> =
            object : EdgeCodec<ByteArray> {
                override fun encode(item: ByteArray): ByteArray = item

                override fun decode(bytes: ByteArray): ByteArray = bytes
            }
    }
}

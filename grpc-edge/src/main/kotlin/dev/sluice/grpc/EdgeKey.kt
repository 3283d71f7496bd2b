package dev.sluice.grpc

/**
 * Names one edge stream across processes, as a [dev.sluice.buffer.StreamBuffer] is named: the
 * request, the edge (for example `talker->vocoder`) and the partition it comes from.
 */
public class EdgeKey
    @JvmOverloads
    constructor(
        /** The request the stream belongs to. */
        public val request: String,
        /** The edge's name. */
        public val edge: String,
        /** The partition the items come from. */
        public val partition: Int = 0,
    ) {
        /** Value equality over the three fields. */
        override fun equals(other: Any?): Boolean =
            other is EdgeKey && other.request == request && other.edge == edge && other.partition == partition

        /** A hash consistent with [equals]. */
        override fun hashCode(): Int = (request.hashCode() * 31 + edge.hashCode()) * 31 + partition

        /** `request/edge/partition`. */
        override fun toString(): String = "$request/$edge/$partition"
    }

package dev.sluice.buffer

/**
 * One frame of an [IntReframer]: a view of [length] values of [array] from [offset], valid until
 * the next call on the re-framer that returned it. The first `contextSize` sample frames repeat
 * earlier frames, then come the new values, then `paddingSize` zero sample frames when the final
 * frame was padded. See [PcmFrame] for the units.
 */
public class IntFrame internal constructor(
    channels: Int,
) : PcmFrame(channels) {
    /** The re-framer's storage. Read only `[offset, offset + length)`; do not write it. */
    public var array: IntArray = IntArray(0)
        internal set

    /** Copies the frame's values, context and padding included, into a new array. */
    public fun toArray(): IntArray = array.copyOfRange(offset, offset + length)
}

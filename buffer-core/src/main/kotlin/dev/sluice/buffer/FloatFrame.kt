package dev.sluice.buffer

/**
 * One frame of a [FloatReframer]: a view of [length] values of [array] from [offset], valid until
 * the next call on the re-framer that returned it. The first [contextLength] values are context
 * repeated from earlier frames, then come the new values, then [paddingLength] zeros when the
 * final frame was padded. Lengths are in values; [startFrame] is in sample frames.
 */
public class FloatFrame internal constructor() {
    /** The re-framer's storage. Read only `[offset, offset + length)`; do not write it. */
    public var array: FloatArray = FloatArray(0)
        internal set

    /** The index in [array] of the frame's first value. */
    public var offset: Int = 0
        internal set

    /** The number of values in the frame: context, new values and padding. */
    public var length: Int = 0
        internal set

    /** The number of leading values that repeat earlier frames as context. */
    public var contextLength: Int = 0
        internal set

    /** The number of trailing zeros added by `finish(padFinal = true)`. */
    public var paddingLength: Int = 0
        internal set

    /** The frame's position in the stream: 0, 1, 2, ... */
    public var index: Int = 0
        internal set

    /** The global offset, in sample frames, of the frame's first value (context included). */
    public var startFrame: Long = 0
        internal set

    /** True for the one frame that ends the stream. */
    public var isFinal: Boolean = false
        internal set

    /** The new values: `length - contextLength - paddingLength`. */
    public val newLength: Int get() = length - contextLength - paddingLength

    /** Copies the frame's values, context and padding included, into a new array. */
    public fun toArray(): FloatArray = array.copyOfRange(offset, offset + length)

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "FloatFrame(index=$index, startFrame=$startFrame, length=$length, contextLength=$contextLength, " +
            "paddingLength=$paddingLength, isFinal=$isFinal)"
}

package dev.sluice.buffer

/**
 * What every PCM frame of a re-framer says about itself, whatever its sample type: a view of
 * [length] values of the re-framer's array from [offset], and where the frame sits in its stream.
 * [FloatFrame], [ShortFrame] and [IntFrame] add only the array.
 *
 * Counts come in two units. The array view ([offset], [length], [newOffset], [newLength]) is in
 * array values, as any array slice is. The stream's quantities ([contextSize], [newSize],
 * [paddingSize], [startOffset]) are in sample frames of [channels] values each.
 *
 * A frame is valid until the next call on the re-framer that returned it.
 */
public abstract class PcmFrame internal constructor(
    /** Values per sample frame: 1 for mono, 2 for stereo or I/Q, the codebooks for codec codes. */
    public val channels: Int,
) {
    /** The index in the array of the frame's first value. */
    public var offset: Int = 0
        internal set

    /** The number of values in the frame: context, new values and padding. */
    public var length: Int = 0
        internal set

    /** The number of leading sample frames that repeat earlier frames as context. */
    public var contextSize: Int = 0
        internal set

    /** The number of trailing zero sample frames added by `finish(padFinal = true)`. */
    public var paddingSize: Int = 0
        internal set

    /** The frame's position in the stream: 0, 1, 2, ... */
    public var index: Long = 0
        internal set

    /** The global position, in sample frames, of the frame's first sample frame (context included). */
    public var startOffset: Long = 0
        internal set

    /** True for the one frame that ends the stream. */
    public var isFinal: Boolean = false
        internal set

    /** The number of sample frames delivered for the first time: neither context nor padding. */
    public val newSize: Int get() = length / channels - contextSize - paddingSize

    /** The index in the array of the first new value: `offset + contextSize * channels`. */
    public val newOffset: Int get() = offset + contextSize * channels

    /** The number of new values: `newSize * channels`. */
    public val newLength: Int get() = newSize * channels

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "${this::class.simpleName}(index=$index, startOffset=$startOffset, length=$length, contextSize=$contextSize, " +
            "paddingSize=$paddingSize, channels=$channels, isFinal=$isFinal)"
}

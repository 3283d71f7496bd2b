package dev.sluice.audio

/**
 * One frame of re-framed audio that owns its values, so it may cross threads and be kept: the
 * copy of a [dev.sluice.buffer.FloatFrame] view. The first [contextLength] values repeat earlier
 * frames; the last [paddingLength] are zeros added to a padded final frame.
 */
public class AudioFrame(
    /** The frame's values: context, new values, padding. Interleaved when there are several channels. */
    public val samples: FloatArray,
    /** The number of leading values that repeat earlier frames. */
    public val contextLength: Int,
    /** The number of trailing zeros of a padded final frame. */
    public val paddingLength: Int,
    /** The frame's position in its stream: 0, 1, 2, ... */
    public val index: Int,
    /** The offset, in sample frames, of the frame's first value in the stream. */
    public val startFrame: Long,
    /** True for the one frame that ends the stream. */
    public val isFinal: Boolean,
) {
    /** The number of new values: neither context nor padding. */
    public val newLength: Int get() = samples.size - contextLength - paddingLength

    /** A copy of the new values only. */
    public fun newSamples(): FloatArray = samples.copyOfRange(contextLength, contextLength + newLength)

    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean =
        other is AudioFrame &&
            other.contextLength == contextLength &&
            other.paddingLength == paddingLength &&
            other.index == index &&
            other.startFrame == startFrame &&
            other.isFinal == isFinal &&
            other.samples.contentEquals(samples)

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int {
        var h = samples.contentHashCode()
        h = 31 * h + contextLength
        h = 31 * h + paddingLength
        h = 31 * h + index
        h = 31 * h + startFrame.hashCode()
        return 31 * h + isFinal.hashCode()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "AudioFrame(index=$index, startFrame=$startFrame, values=${samples.size}, contextLength=$contextLength, " +
            "paddingLength=$paddingLength, isFinal=$isFinal)"
}

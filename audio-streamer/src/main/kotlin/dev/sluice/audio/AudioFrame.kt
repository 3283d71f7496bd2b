package dev.sluice.audio

import dev.sluice.buffer.FloatFrame

/**
 * One re-framed frame of one sample's audio that owns its values, so it may cross threads and be
 * kept: the copy of a [FloatFrame] view, with the sample it belongs to.
 *
 * As for every PCM frame, [samples] is in array values, and [contextSize], [newSize],
 * [paddingSize] and [startOffset] are in sample frames of [channels] values.
 */
public class AudioFrame(
    /** The sample of the batch this frame belongs to. */
    public val sampleIndex: Int,
    /** The frame's values: context, new values, padding. Interleaved when there are several channels. */
    public val samples: FloatArray,
    /** Values per sample frame. */
    public val channels: Int,
    /** The number of leading sample frames that repeat earlier frames. */
    public val contextSize: Int,
    /** The number of trailing zero sample frames of a padded final frame. */
    public val paddingSize: Int,
    /** The frame's position in its stream: 0, 1, 2, ... */
    public val index: Long,
    /** The global position, in sample frames, of the frame's first sample frame (context included). */
    public val startOffset: Long,
    /** True for the one frame that ends the stream. */
    public val isFinal: Boolean,
) {
    /** The number of sample frames delivered for the first time: neither context nor padding. */
    public val newSize: Int get() = samples.size / channels - contextSize - paddingSize

    /** The index in [samples] of the first new value. */
    public val newOffset: Int get() = contextSize * channels

    /** The number of new values: `newSize * channels`. */
    public val newLength: Int get() = newSize * channels

    /** A copy of the new values only. */
    public fun newSamples(): FloatArray = samples.copyOfRange(newOffset, newOffset + newLength)

    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean =
        other is AudioFrame &&
            other.sampleIndex == sampleIndex &&
            other.channels == channels &&
            other.contextSize == contextSize &&
            other.paddingSize == paddingSize &&
            other.index == index &&
            other.startOffset == startOffset &&
            other.isFinal == isFinal &&
            other.samples.contentEquals(samples)

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int {
        var h = samples.contentHashCode()
        h = 31 * h + sampleIndex
        h = 31 * h + contextSize
        h = 31 * h + paddingSize
        h = 31 * h + index.hashCode()
        h = 31 * h + startOffset.hashCode()
        return 31 * h + isFinal.hashCode()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "AudioFrame(sampleIndex=$sampleIndex, index=$index, startOffset=$startOffset, values=${samples.size}, " +
            "contextSize=$contextSize, paddingSize=$paddingSize, isFinal=$isFinal)"
}

package dev.sluice.audio

/**
 * One chunk of generated audio for one sample of a batch.
 *
 * [samples] holds interleaved values when the streamer has several channels. The array is the one
 * the producer handed to [AsyncAudioStreamer.put]: the streamer does not copy it, and nobody should
 * write to it after the put.
 *
 * Instances are values: two chunks are equal when their fields and sample values are.
 */
public class AudioChunk(
    /** The sample of the batch this chunk belongs to: `0 until batchSize`. */
    public val sampleIndex: Int,
    /** The chunk's position in its sample's stream: 0, 1, 2, ... Dropped chunks leave gaps. */
    public val index: Long,
    /** The audio, interleaved when there are several channels. */
    public val samples: FloatArray,
    /** The global position, in sample frames, of the chunk's first sample frame in its sample's stream. */
    public val startOffset: Long,
) {
    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean =
        other is AudioChunk &&
            other.sampleIndex == sampleIndex &&
            other.index == index &&
            other.startOffset == startOffset &&
            other.samples.contentEquals(samples)

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int {
        var h = sampleIndex
        h = 31 * h + index.hashCode()
        h = 31 * h + startOffset.hashCode()
        return 31 * h + samples.contentHashCode()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "AudioChunk(sampleIndex=$sampleIndex, index=$index, startOffset=$startOffset, samples=${samples.size})"
}

package dev.sluice.buffer

import dev.sluice.buffer.internal.requireNonNegative
import dev.sluice.buffer.internal.requirePositive

/**
 * Chunks of [chunk] new items, each preceded by up to [leftContext] items of the stream just
 * before them, for causal decoders that need to warm up (streaming vocoders).
 *
 * Chunk `k` holds items `[start - ctx, start + chunk)` where `start = k * chunk` and
 * `ctx = min(leftContext, start)`. This is exactly the slicing of Hugging Face's
 * `Qwen3OmniMoeCode2Wav.chunked_decode`, including `leftContext > chunk`.
 *
 * @sample dev.sluice.buffer.samples.leftContextChunkPolicySample
 * @throws IllegalArgumentException if [chunk] is less than 1 or [leftContext] is negative.
 */
public class LeftContextChunkPolicy(
    /** The number of new items in every chunk but the last. At least 1. */
    public val chunk: Int,
    /** The most already-delivered items a chunk repeats as context. At least 0. */
    public val leftContext: Int,
) : ChunkPolicy {
    init {
        requirePositive("chunk", chunk)
        requireNonNegative("leftContext", leftContext)
    }

    override fun newItems(
        index: Long,
        delivered: Long,
    ): Int = chunk

    override fun contextSize(
        index: Long,
        delivered: Long,
    ): Int = minOf(leftContext.toLong(), delivered).toInt()

    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean = other is LeftContextChunkPolicy && other.chunk == chunk && other.leftContext == leftContext

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int = 31 * chunk + leftContext

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "LeftContextChunkPolicy(chunk=$chunk, leftContext=$leftContext)"
}

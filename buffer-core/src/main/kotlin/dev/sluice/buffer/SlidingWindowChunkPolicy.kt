package dev.sluice.buffer

import dev.sluice.buffer.internal.requirePositive

/**
 * Overlapping windows of [window] items that advance by [stride]: chunk `k` holds items
 * `[k * stride, k * stride + window)`. The first chunk takes [window] new items; every later one
 * takes [stride] new items and repeats `window - stride` as context. Orpheus feeds its SNAC
 * decoder this way with 28 / 7.
 *
 * At the end of the stream, the last chunk holds its context and whatever remains.
 *
 * @sample dev.sluice.buffer.samples.slidingWindowChunkPolicySample
 * @throws IllegalArgumentException if [window] or [stride] is less than 1, or [stride] is greater
 *   than [window].
 */
public class SlidingWindowChunkPolicy(
    /** The number of items in a full window. At least 1. */
    public val window: Int,
    /** How far each window advances. Between 1 and [window]. */
    public val stride: Int,
) : ChunkPolicy {
    init {
        requirePositive("window", window)
        requirePositive("stride", stride)
        require(stride <= window) { "stride must be <= window, was stride=$stride, window=$window" }
    }

    override fun newItems(
        index: Long,
        delivered: Long,
    ): Int = if (index == 0L) window else stride

    override fun contextSize(
        index: Long,
        delivered: Long,
    ): Int = if (index == 0L) 0 else minOf((window - stride).toLong(), delivered).toInt()

    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean = other is SlidingWindowChunkPolicy && other.window == window && other.stride == stride

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int = 31 * window + stride

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "SlidingWindowChunkPolicy(window=$window, stride=$stride)"
}

package dev.sluice.buffer

import dev.sluice.buffer.internal.requireNonNegative
import dev.sluice.buffer.internal.requirePositive
import kotlin.jvm.JvmOverloads

/**
 * Chunks that start small and grow, for a low time to first audio: chunk `k` takes
 * `sizes[min(k, sizes.lastIndex)]` new items and repeats `min(leftContext, delivered)` items of
 * context.
 *
 * @sample dev.sluice.buffer.samples.rampChunkPolicySample
 * @throws IllegalArgumentException if [sizes] is empty, a size is less than 1, or [leftContext]
 *   is negative.
 */
public class RampChunkPolicy
    @JvmOverloads
    constructor(
        sizes: List<Int>,
        /** The most already-delivered items a chunk repeats as context. At least 0. */
        public val leftContext: Int = 0,
    ) : ChunkPolicy {
        /** The new-item counts of the first chunks; the last one repeats for every later chunk. */
        public val sizes: List<Int> = sizes.toList()

        init {
            require(this.sizes.isNotEmpty()) { "sizes must not be empty" }
            this.sizes.forEachIndexed { i, size -> requirePositive("sizes[$i]", size) }
            requireNonNegative("leftContext", leftContext)
        }

        override fun newItems(
            index: Long,
            delivered: Long,
        ): Int = sizes[minOf(index, sizes.lastIndex.toLong()).toInt()]

        override fun contextSize(
            index: Long,
            delivered: Long,
        ): Int = minOf(leftContext.toLong(), delivered).toInt()

        /** Value equality: true when [other] is of the same type with equal properties. */
        override fun equals(other: Any?): Boolean = other is RampChunkPolicy && other.sizes == sizes && other.leftContext == leftContext

        /** A hash consistent with [equals]. */
        override fun hashCode(): Int = 31 * sizes.hashCode() + leftContext

        /** A description for logs and debugging; its format may change. */
        override fun toString(): String = "RampChunkPolicy(sizes=$sizes, leftContext=$leftContext)"
    }

package dev.sluice.buffer

import dev.sluice.buffer.internal.requirePositive
import kotlin.jvm.JvmOverloads

/**
 * Non-overlapping chunks of [chunkSize] items with no context: chunk `k` holds items
 * `[k * chunkSize, (k + 1) * chunkSize)`, and the last chunk holds what remains.
 *
 * With [continueAfterDone], the remainder is flushed as a non-final chunk and every later pop
 * returns an empty, non-final chunk (see [ChunkPolicy.continueAfterDone]).
 *
 * @sample dev.sluice.buffer.samples.fixedChunkPolicySample
 * @throws IllegalArgumentException if [chunkSize] is less than 1.
 */
public class FixedChunkPolicy
    @JvmOverloads
    constructor(
        /** The number of new items in every chunk but the last. At least 1. */
        public val chunkSize: Int,
        override val continueAfterDone: Boolean = false,
    ) : ChunkPolicy {
        init {
            requirePositive("chunkSize", chunkSize)
        }

        override fun newItems(
            index: Long,
            delivered: Long,
        ): Int = chunkSize

        override fun contextSize(
            index: Long,
            delivered: Long,
        ): Int = 0

        /** Value equality: true when [other] is of the same type with equal properties. */
        override fun equals(other: Any?): Boolean =
            other is FixedChunkPolicy && other.chunkSize == chunkSize && other.continueAfterDone == continueAfterDone

        /** A hash consistent with [equals]. */
        override fun hashCode(): Int = 31 * chunkSize + continueAfterDone.hashCode()

        /** A description for logs and debugging; its format may change. */
        override fun toString(): String = "FixedChunkPolicy(chunkSize=$chunkSize, continueAfterDone=$continueAfterDone)"
    }

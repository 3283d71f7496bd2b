package dev.sluice.buffer.internal

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.FixedChunkPolicy

/**
 * The per-stream state of a [ChunkPolicy]: which chunk comes next, how many items were delivered,
 * and what the next chunk needs. It applies the end-of-stream rule of DESIGN.md for both the
 * item buffer and the PCM re-framers, so the rule is written once.
 *
 * **A bad policy changes nothing.** The policy is asked about chunk `k` only once chunk `k - 1`
 * was delivered, and its answer is checked before anything is stored. [advance] records a
 * delivery and then asks about the next chunk; if the policy throws or answers out of range, the
 * delivery still stands and the question is asked again, and fails again, by the next call that
 * needs [nextNew] or [nextContext]. So a policy error is reported by the call about the chunk it
 * concerns, and no item is skipped.
 *
 * [maxChunk] bounds context plus new items, for owners that keep a chunk in one array.
 */
internal class ChunkCursor(
    private val policy: ChunkPolicy,
    private val maxChunk: Long = Long.MAX_VALUE,
    firstIndex: Long = 0,
) {
    /** The index of the next chunk. A `Long`: it never wraps in practice (2^63 chunks). */
    var chunkIndex: Long = firstIndex
        private set

    /** Items delivered as new by the chunks so far. */
    var delivered: Long = 0
        private set

    /** Whether a chunk with `isFinal = true` was delivered. */
    var finalDelivered: Boolean = false
        private set

    /**
     * The first item the owner must still keep: the next chunk's context starts there. It is
     * always known, even when the policy failed: then it stays where the last good plan put it.
     */
    var keepFrom: Long = 0
        private set

    private var planned = false
    private var plannedNew = 0
    private var plannedContext = 0
    private val continueAfterDone = policy.continueAfterDone

    /**
     * A [FixedChunkPolicy] (a final class) answers the same for every chunk, so once its plan was
     * made and checked, [advance] keeps it instead of asking again: a re-framer of fixed frames
     * spent a tenth of its time asking (B4).
     */
    private val fixed = policy is FixedChunkPolicy

    init {
        tryPlan()
    }

    // Checks `planned` before calling plan(): it is read for every item appended, and the check is
    // what the JIT inlines; plan() itself is too large to inline.

    /** New items the next chunk needs. @throws IllegalStateException if the policy answers badly. */
    val nextNew: Int get() = if (planned) plannedNew else plan().let { plannedNew }

    /** Context items the next chunk repeats. @throws IllegalStateException if the policy answers badly. */
    val nextContext: Int get() = if (planned) plannedContext else plan().let { plannedContext }

    /**
     * The number of new items the next chunk takes when [available] undelivered items are ready
     * and [ended] tells whether the stream has ended, or -1 when no chunk is ready.
     */
    fun readyCount(
        available: Long,
        ended: Boolean,
    ): Int =
        when {
            finalDelivered -> NOT_READY
            available >= nextNew -> plannedNew
            ended -> available.toInt()
            else -> NOT_READY
        }

    /** The context of a chunk of [newCount] new items: none for an empty chunk. */
    fun contextFor(newCount: Int): Int = if (newCount == 0) 0 else nextContext

    /** Whether a chunk of [newCount] new items out of [available] is the final one. */
    fun isFinal(
        newCount: Int,
        available: Long,
        ended: Boolean,
    ): Boolean = ended && !continueAfterDone && newCount.toLong() == available

    /**
     * Whether the stream ended and, with [ChunkPolicy.continueAfterDone], everything was flushed:
     * from here on every chunk is an empty continuation chunk.
     */
    fun isDrained(
        available: Long,
        ended: Boolean,
    ): Boolean = finalDelivered || (continueAfterDone && ended && available == 0L)

    /** Records the delivery of a chunk of [newCount] new items, then asks about the next one (see [fixed]). */
    fun advance(
        newCount: Int,
        isFinal: Boolean,
    ) {
        delivered += newCount
        chunkIndex++
        finalDelivered = isFinal
        if (fixed) {
            // The same plan: chunkSize new items and no context, so nothing before `delivered` is kept.
            keepFrom = delivered
            return
        }
        planned = false
        if (isFinal) keepFrom = delivered else tryPlan()
    }

    /** Forgets everything: the next chunk is chunk 0 again. */
    fun reset() {
        chunkIndex = 0
        delivered = 0
        finalDelivered = false
        keepFrom = 0
        planned = false
        tryPlan()
    }

    private fun tryPlan() {
        try {
            plan()
        } catch (_: Exception) {
            // Reported by the next call that needs the plan; see the class comment.
        }
    }

    private fun plan() {
        if (planned) return
        val index = chunkIndex
        val need =
            try {
                policy.newItems(index, delivered)
            } catch (e: Exception) {
                throw IllegalStateException("$policy failed on newItems for chunk $index: $e", e)
            }
        check(need >= 1) { "$policy returned newItems=$need for chunk $index; it must be >= 1" }
        val context =
            try {
                policy.contextSize(index, delivered)
            } catch (e: Exception) {
                throw IllegalStateException("$policy failed on contextSize for chunk $index: $e", e)
            }
        check(context >= 0 && context <= delivered) {
            "$policy returned contextSize=$context for chunk $index after $delivered delivered items; " +
                "it must be between 0 and $delivered"
        }
        require(need.toLong() + context <= maxChunk) {
            "$policy asks for a chunk of $context + $need, more than the $maxChunk this owner can hold"
        }
        plannedNew = need
        plannedContext = context
        keepFrom = delivered - context
        planned = true
    }

    companion object {
        const val NOT_READY: Int = -1
    }
}

package dev.sluice.buffer.internal

import dev.sluice.buffer.ChunkPolicy

/**
 * The per-stream state of a [ChunkPolicy]: which chunk comes next, how many items were delivered,
 * and what the next chunk needs. It applies the end-of-stream rule of DESIGN.md for both the
 * item buffer and the PCM re-framers, so the rule is written once.
 */
internal class ChunkCursor(
    private val policy: ChunkPolicy,
) {
    /** The index of the next chunk. */
    var chunkIndex: Int = 0
        private set

    /** Items delivered as new by the chunks so far. */
    var delivered: Long = 0
        private set

    /** New items the next chunk needs. */
    var nextNew: Int = 0
        private set

    /** Context items the next chunk repeats; also how many delivered items must be kept. */
    var nextContext: Int = 0
        private set

    /** Whether a chunk with `isFinal = true` was delivered. */
    var finalDelivered: Boolean = false
        private set

    private val continueAfterDone = policy.continueAfterDone

    init {
        plan()
    }

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
            available >= nextNew -> nextNew
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

    /** Records the delivery of a chunk of [newCount] new items and plans the next one. */
    fun advance(
        newCount: Int,
        isFinal: Boolean,
    ) {
        delivered += newCount
        chunkIndex++
        finalDelivered = isFinal
        plan()
    }

    /** Forgets everything: the next chunk is chunk 0 again. */
    fun reset() {
        chunkIndex = 0
        delivered = 0
        finalDelivered = false
        plan()
    }

    private fun plan() {
        val need = policy.newItems(chunkIndex, delivered)
        check(need >= 1) { "$policy returned newItems=$need for chunk $chunkIndex; it must be >= 1" }
        val context = policy.contextSize(chunkIndex, delivered)
        check(context >= 0 && context <= delivered) {
            "$policy returned contextSize=$context for chunk $chunkIndex after $delivered delivered items; " +
                "it must be between 0 and $delivered"
        }
        nextNew = need
        nextContext = context
    }

    companion object {
        const val NOT_READY: Int = -1
    }
}

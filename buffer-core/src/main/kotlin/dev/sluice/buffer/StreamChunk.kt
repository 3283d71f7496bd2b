package dev.sluice.buffer

import dev.sluice.buffer.internal.SnapshotList

/**
 * One chunk of a stream: [contextSize] items that earlier chunks already delivered, followed by
 * the items delivered for the first time ([newItems]).
 *
 * The [newItems] of all chunks of a stream, concatenated, are exactly the stream: every item once,
 * in order. [items] is an immutable snapshot: it is safe to keep and to hand to another thread.
 *
 * Instances are values: two chunks are equal when all their properties are.
 */
public class StreamChunk<out T> private constructor(
    private val snapshot: SnapshotList<T>,
    /** The chunk's position in its stream: 0, 1, 2, ... */
    public val index: Long,
    /** The global offset of `items[0]` in the stream (of the first new item when there is no context). */
    public val startOffset: Long,
    /** How many of the leading [items] are context, repeated from earlier chunks. */
    public val contextSize: Int,
    /** True for the one chunk that ends the stream. It may be empty (see [StreamBuffer]). */
    public val isFinal: Boolean,
    /** The buffer that popped this chunk, as a token only it holds; null for a chunk made by hand. */
    internal val origin: Any?,
) {
    /** The context items, then the new items. Immutable. */
    public val items: List<T> get() = snapshot

    init {
        require(index >= 0) { "index must be >= 0, was $index" }
        require(startOffset >= 0) { "startOffset must be >= 0, was $startOffset" }
        require(contextSize in 0..items.size) { "contextSize must be in 0..${items.size}, was $contextSize" }
    }

    /**
     * Creates a chunk holding a copy of [items].
     *
     * @throws IllegalArgumentException if [index] or [startOffset] is negative, or
     *   [contextSize] is not between 0 and `items.size`.
     */
    public constructor(
        items: List<T>,
        index: Long,
        startOffset: Long,
        contextSize: Int,
        isFinal: Boolean,
    ) : this(SnapshotList.copyOf(items), index, startOffset, contextSize, isFinal, null)

    // Made on first use. A race may make it twice; both are equal and safely published.
    private var newItemsView: List<T>? = null

    /** The items delivered for the first time: [items] without the leading context. */
    public val newItems: List<T>
        get() = newItemsView ?: snapshot.tail(contextSize).also { newItemsView = it }

    /** The global offset of the first new item: `startOffset + contextSize`. */
    public val newStartOffset: Long get() = startOffset + contextSize

    /** Value equality: true when [other] is of the same type with equal properties. */
    override fun equals(other: Any?): Boolean =
        other is StreamChunk<*> &&
            other.index == index &&
            other.startOffset == startOffset &&
            other.contextSize == contextSize &&
            other.isFinal == isFinal &&
            other.items == items

    /** A hash consistent with [equals]. */
    override fun hashCode(): Int {
        var h = items.hashCode()
        h = 31 * h + index.hashCode()
        h = 31 * h + startOffset.hashCode()
        h = 31 * h + contextSize
        return 31 * h + isFinal.hashCode()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "StreamChunk(index=$index, startOffset=$startOffset, contextSize=$contextSize, " +
            "isFinal=$isFinal, items=$items)"

    internal companion object {
        /** Wraps [items] without copying; the caller hands over ownership. */
        fun <T> trusted(
            items: SnapshotList<T>,
            index: Long,
            startOffset: Long,
            contextSize: Int,
            isFinal: Boolean,
            origin: Any,
        ): StreamChunk<T> = StreamChunk(items, index, startOffset, contextSize, isFinal, origin)
    }
}

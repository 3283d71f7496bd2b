package dev.sluice.buffer.internal

/**
 * A read-only list that nobody writes: the immutable [dev.sluice.buffer.StreamChunk.items]. Its
 * elements are `array[offset, offset + split)` followed by `second[0, size - split)`, so that a
 * chunk whose slots span two storage segments is still a view, not a copy; [second] is unused when
 * [split] is [size]. Every field is final, so a list handed to another thread without
 * synchronisation is still seen whole.
 */
internal class SnapshotList<out T>(
    private val array: Array<Any?>,
    private val offset: Int = 0,
    override val size: Int = array.size,
    private val second: Array<Any?> = NO_SECOND,
    private val split: Int = size,
) : AbstractList<T>(),
    RandomAccess {
    @Suppress("UNCHECKED_CAST")
    override fun get(index: Int): T {
        if (index < 0 || index >= size) throw IndexOutOfBoundsException("index $index, size $size")
        return (if (index < split) array[offset + index] else second[index - split]) as T
    }

    /**
     * The elements `[from, size)` as a list sharing this one's arrays. When [from] is past [split],
     * the new split is negative, and every element comes from [second].
     */
    fun tail(from: Int): SnapshotList<T> = if (from == 0) this else SnapshotList(array, offset + from, size - from, second, split - from)

    companion object {
        private val NO_SECOND = arrayOfNulls<Any?>(0)

        private val EMPTY = SnapshotList<Nothing>(arrayOf())

        fun <T> empty(): SnapshotList<T> = EMPTY

        fun <T> copyOf(items: List<T>): SnapshotList<T> =
            if (items.isEmpty()) EMPTY else SnapshotList(Array<Any?>(items.size) { items[it] })
    }
}

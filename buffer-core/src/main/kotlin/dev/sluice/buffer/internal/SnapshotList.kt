package dev.sluice.buffer.internal

/**
 * A read-only list over `array[offset, offset + size)` that nobody writes: the immutable
 * [dev.sluice.buffer.StreamChunk.items]. Every field is final, so a list handed to another thread
 * without synchronisation is still seen whole.
 */
internal class SnapshotList<out T>(
    private val array: Array<Any?>,
    private val offset: Int = 0,
    override val size: Int = array.size,
) : AbstractList<T>(),
    RandomAccess {
    @Suppress("UNCHECKED_CAST")
    override fun get(index: Int): T {
        if (index < 0 || index >= size) throw IndexOutOfBoundsException("index $index, size $size")
        return array[offset + index] as T
    }

    /** The elements `[from, size)` as a list sharing this one's array. */
    fun tail(from: Int): SnapshotList<T> = if (from == 0) this else SnapshotList(array, offset + from, size - from)

    companion object {
        private val EMPTY = SnapshotList<Nothing>(arrayOf())

        fun <T> empty(): SnapshotList<T> = EMPTY

        fun <T> copyOf(items: List<T>): SnapshotList<T> =
            if (items.isEmpty()) EMPTY else SnapshotList(Array<Any?>(items.size) { items[it] })
    }
}

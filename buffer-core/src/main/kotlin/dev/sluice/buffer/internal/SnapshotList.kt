package dev.sluice.buffer.internal

/** A read-only list over an array that nobody else writes: the immutable [dev.sluice.buffer.StreamChunk.items]. */
internal class SnapshotList<out T>(
    private val array: Array<Any?>,
) : AbstractList<T>(),
    RandomAccess {
    override val size: Int get() = array.size

    @Suppress("UNCHECKED_CAST")
    override fun get(index: Int): T {
        if (index < 0 || index >= array.size) throw IndexOutOfBoundsException("index $index, size ${array.size}")
        return array[index] as T
    }

    companion object {
        private val EMPTY = SnapshotList<Nothing>(arrayOf())

        fun <T> empty(): SnapshotList<T> = EMPTY

        fun <T> copyOf(items: List<T>): SnapshotList<T> =
            if (items.isEmpty()) EMPTY else SnapshotList(Array<Any?>(items.size) { items[it] })
    }
}

package dev.sluice.buffer.internal

/**
 * A growable ring of slots addressed by global offset. It holds the offsets `[first, end)`;
 * appending costs O(1) amortised and dropping from the front frees the slots for reuse, so a
 * stream of any length needs only as many slots as it retains at once.
 */
internal class SlotRing(
    /** The most slots the ring may hold; a test sets a small one. */
    private val maxCapacity: Int = MAX_CAPACITY,
) {
    private var slots: Array<Any?> = arrayOfNulls(INITIAL_CAPACITY)
    private var head = 0

    /** The global offset of the first retained slot. */
    private var first: Long = 0

    /** The number of retained slots. */
    var size: Int = 0
        private set

    /** The global offset one past the last slot. */
    val end: Long get() = first + size

    /** Appends a slot holding [value] and returns its global offset. */
    fun add(value: Any?): Long {
        if (size == slots.size) ensureRoom(1)
        slots[(head + size) and (slots.size - 1)] = value
        size++
        return end - 1
    }

    /** Appends `values[from until to]` with at most one growth and two bulk copies. */
    fun addAll(
        values: Array<out Any?>,
        from: Int,
        to: Int,
    ) {
        val n = to - from
        ensureRoom(n)
        val tail = (head + size) and (slots.size - 1)
        val firstPart = minOf(n, slots.size - tail)
        values.copyInto(slots, tail, from, from + firstPart)
        values.copyInto(slots, 0, from + firstPart, to)
        size += n
    }

    /** Appends every element of [values], in iteration order, with at most one growth. */
    fun addAll(values: Collection<Any?>) {
        ensureRoom(values.size)
        val mask = slots.size - 1
        var at = head + size
        for (v in values) slots[at++ and mask] = v
        size += values.size
    }

    private fun ensureRoom(n: Int) {
        require(n <= maxCapacity - size) { "cannot hold ${size.toLong() + n} slots (at most $maxCapacity)" }
        while (slots.size - size < n) grow()
    }

    operator fun get(offset: Long): Any? = slots[index(offset)]

    operator fun set(
        offset: Long,
        value: Any?,
    ) {
        slots[index(offset)] = value
    }

    /** Drops every slot before [offset], clearing them in at most two bulk fills. */
    fun dropBefore(offset: Long) {
        val n = (offset - first).toInt()
        if (n <= 0) return
        val firstPart = minOf(n, slots.size - head)
        slots.fill(null, head, head + firstPart)
        slots.fill(null, 0, n - firstPart)
        head = (head + n) and (slots.size - 1)
        size -= n
        first = offset
    }

    /** Copies [count] slots starting at global [offset] into a new array. */
    fun copyOut(
        offset: Long,
        count: Int,
    ): Array<Any?> {
        val out = arrayOfNulls<Any?>(count)
        val start = index(offset)
        val firstPart = minOf(count, slots.size - start)
        slots.copyInto(out, 0, start, start + firstPart)
        slots.copyInto(out, firstPart, 0, count - firstPart)
        return out
    }

    private fun index(offset: Long): Int {
        val rel = offset - first
        if (rel < 0 || rel >= size) throw IndexOutOfBoundsException("offset $offset outside [$first, $end)")
        return (head + rel.toInt()) and (slots.size - 1)
    }

    private fun grow() {
        val bigger = arrayOfNulls<Any?>(slots.size * 2)
        val firstPart = minOf(size, slots.size - head)
        slots.copyInto(bigger, 0, head, head + firstPart)
        slots.copyInto(bigger, firstPart, 0, size - firstPart)
        slots = bigger
        head = 0
    }

    private companion object {
        const val INITIAL_CAPACITY = 16

        /** The largest power of two an array can have. */
        const val MAX_CAPACITY = 1 shl 30
    }
}

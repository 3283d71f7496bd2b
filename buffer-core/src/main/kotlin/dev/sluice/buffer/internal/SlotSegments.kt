package dev.sluice.buffer.internal

/**
 * The slots of a stream, addressed by global offset, in append-only storage segments of
 * [SEGMENT_SIZE] slots. It holds the offsets `[first, end)`; appending costs O(1) amortised, and
 * dropping from the front lets go of every segment that holds no retained slot, so a stream of any
 * length keeps only the segments its retained slots are in.
 *
 * A slot is written once, when it is appended, and again only through [set] (a registered id's
 * item filling its reserved slot); a dropped slot is never written again. So [view] can hand out a
 * chunk's items as a read-only window on a segment instead of a copy: the slots it covers hold
 * arrived items that nothing writes any more, and a segment a chunk still views stays alive with
 * that chunk, not with the buffer. A chunk spanning two segments views both; only one spanning
 * three or more, longer than a segment, is copied.
 */
internal class SlotSegments(
    /** The most slots it may hold; a test sets a small one. */
    private val maxCapacity: Int = MAX_CAPACITY,
) {
    /** The segments, oldest first; `segments[0][0]` is the slot at global offset [base]. */
    private val segments = ArrayDeque<Array<Any?>>()
    private var base: Long = 0

    /** The last segment, which [add] writes at [tailAt]; [NO_SEGMENT] and a full mark when there is none. */
    private var tail: Array<Any?> = NO_SEGMENT
    private var tailAt = SEGMENT_SIZE

    /** The global offset of the first retained slot. */
    private var first: Long = 0

    /** The global offset one past the last slot. */
    var end: Long = 0
        private set

    /** The number of retained slots. */
    val size: Int get() = (end - first).toInt()

    /** The segments held now; for tests of the storage bound. */
    val segmentCount: Int get() = segments.size

    /** Appends a slot holding [value] and returns its global offset. */
    fun add(value: Any?): Long {
        ensureRoom(1)
        if (tailAt == SEGMENT_SIZE) newSegment()
        tail[tailAt++] = value
        return end++
    }

    private fun newSegment() {
        tail = arrayOfNulls(SEGMENT_SIZE)
        segments.addLast(tail)
        tailAt = 0
    }

    /** Appends `values[from until to]`, one bulk copy per segment it reaches. */
    fun addAll(
        values: Array<out Any?>,
        from: Int,
        to: Int,
    ) {
        val count = to - from
        if (count == 0) return
        ensureRoom(count)
        // Most blocks fit in the tail segment: one copy, without the loop's bookkeeping (about 1.1×
        // as fast for blocks of 8, benchmark B3).
        val at = tailAt
        if (count <= SEGMENT_SIZE - at) {
            values.copyInto(tail, at, from, to)
            tailAt = at + count
            end += count
            return
        }
        var next = from
        while (next < to) {
            if (tailAt == SEGMENT_SIZE) newSegment()
            val n = minOf(to - next, SEGMENT_SIZE - tailAt)
            values.copyInto(tail, tailAt, next, next + n)
            tailAt += n
            next += n
            end += n
        }
    }

    /** Appends every element of [values], in iteration order. */
    fun addAll(values: Collection<Any?>) {
        ensureRoom(values.size)
        for (v in values) {
            if (tailAt == SEGMENT_SIZE) newSegment()
            tail[tailAt++] = v
            end++
        }
    }

    private fun ensureRoom(n: Int) {
        require(n <= maxCapacity - size) { "cannot hold ${size.toLong() + n} slots (at most $maxCapacity)" }
    }

    operator fun get(offset: Long): Any? {
        val at = index(offset)
        return segments[at ushr SHIFT][at and MASK]
    }

    operator fun set(
        offset: Long,
        value: Any?,
    ) {
        val at = index(offset)
        segments[at ushr SHIFT][at and MASK] = value
    }

    /**
     * Drops every slot before [offset] and lets go of the segments that hold none of the rest.
     * Slots are not cleared: a chunk may still view them.
     */
    fun dropBefore(offset: Long) {
        if (offset <= first) return
        first = offset
        while (base + SEGMENT_SIZE <= first && segments.isNotEmpty()) {
            segments.removeFirst()
            base += SEGMENT_SIZE
        }
        // Every slot was dropped up to the end of the last segment, which was full: let it go too.
        if (segments.isEmpty()) tail = NO_SEGMENT
    }

    /**
     * The [count] (at least 1) slots from global [offset] as a read-only list: a window on the
     * segment they are in, or on the two they span; a copy when they span more.
     */
    fun <T> view(
        offset: Long,
        count: Int,
    ): SnapshotList<T> {
        if (count < 1 || offset < first || offset + count > end) {
            throw IndexOutOfBoundsException("slots [$offset, ${offset + count}) outside [$first, $end)")
        }
        // Most chunks end at or near the last slot: in the tail segment, found without a lookup.
        val tailStart = end - tailAt
        if (offset >= tailStart) return SnapshotList(tail, (offset - tailStart).toInt(), count)
        val at = (offset - base).toInt()
        val inSegment = at and MASK
        val segment = at ushr SHIFT
        val inFirst = SEGMENT_SIZE - inSegment
        if (count <= inFirst) return SnapshotList(segments[segment], inSegment, count)
        if (count - inFirst <= SEGMENT_SIZE) return SnapshotList(segments[segment], inSegment, count, segments[segment + 1], inFirst)
        val out = arrayOfNulls<Any?>(count)
        var copied = 0
        var from = segment
        var fromAt = inSegment
        while (copied < count) {
            val n = minOf(count - copied, SEGMENT_SIZE - fromAt)
            segments[from].copyInto(out, copied, fromAt, fromAt + n)
            copied += n
            from++
            fromAt = 0
        }
        return SnapshotList(out)
    }

    /** The position of global [offset] counted from [base]. */
    private fun index(offset: Long): Int {
        if (offset < first || offset >= end) throw IndexOutOfBoundsException("offset $offset outside [$first, $end)")
        return (offset - base).toInt()
    }

    internal companion object {
        private const val SHIFT = 10

        /** Slots per segment: a power of two. */
        const val SEGMENT_SIZE = 1 shl SHIFT

        private const val MASK = SEGMENT_SIZE - 1

        /** The tail before the first segment: full, so that the first append makes one. */
        private val NO_SEGMENT = arrayOfNulls<Any?>(0)

        /** The largest power of two an array can have. */
        const val MAX_CAPACITY = 1 shl 30
    }
}

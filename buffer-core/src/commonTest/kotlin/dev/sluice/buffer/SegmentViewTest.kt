package dev.sluice.buffer

import dev.sluice.buffer.internal.SlotSegments
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Chunks are read-only views on the buffer's append-only storage segments: what a chunk holds
 * never changes, across segment boundaries, later appends, drops and registered ids, and the
 * buffer lets go of the segments it no longer needs.
 */
class SegmentViewTest {
    private val segment = SlotSegments.SEGMENT_SIZE

    private fun assertHoldsItsOffsets(c: StreamChunk<Int>) {
        assertEquals((c.startOffset until c.startOffset + c.items.size).map { it.toInt() }, c.items, "chunk ${c.index}")
    }

    @Test
    fun keptChunksStayIntactWhileTheStreamGoesOnOverManySegments() {
        val n = 5 * segment + 13
        val buffer = StreamBuffer<Int>(SlidingWindowChunkPolicy(28, 7))
        val kept = mutableListOf<StreamChunk<Int>>()
        var i = 0
        var block = 1
        while (i < n) {
            // Blocks of 1 to 97 items, so that some cross a segment boundary inside appendAll.
            val size = minOf(block, n - i)
            if (size == 1) buffer.append(i) else buffer.appendAll(Array(size) { i + it }, 0, size)
            i += size
            block = block % 97 + 1
            buffer.forEachReady { kept += it }
        }
        buffer.signalDone()
        buffer.forEachReady { kept += it }
        assertTrue(kept.last().isFinal)
        kept.forEach(::assertHoldsItsOffsets)
        // Windows that straddle a segment boundary are there and whole.
        assertTrue(kept.any { it.startOffset < segment && it.startOffset + it.items.size > segment })
        assertEquals(n.toLong(), kept.sumOf { it.newItems.size.toLong() })
    }

    @Test
    fun registeredIdsFillTheirSlotsAcrossASegmentBoundary() {
        val buffer = StreamBuffer<Int>(FixedChunkPolicy(10))
        repeat(segment - 5) { buffer.append(it) }
        val early = buffer.popChunk()
        (0 until 10).forEach { buffer.preReadRegister("id$it") } // slots segment-5 .. segment+4
        buffer.append(segment + 5)
        (9 downTo 0).forEach { buffer.put("id$it", segment - 5 + it) }
        buffer.signalDone()
        val chunks = mutableListOf(early)
        buffer.forEachReady { chunks += it }
        chunks.forEach(::assertHoldsItsOffsets)
        assertEquals(segment + 6L, chunks.sumOf { it.newItems.size.toLong() })
    }

    @Test
    fun aChunkLongerThanASegmentIsWhole() {
        val size = 2 * segment + 100
        val buffer = StreamBuffer<Int>(LeftContextChunkPolicy(size, 50))
        buffer.appendAll(Array(3 * size) { it }, 0, 3 * size)
        buffer.signalDone()
        val chunks = mutableListOf<StreamChunk<Int>>()
        buffer.forEachReady { chunks += it }
        assertEquals(3, chunks.size)
        chunks.forEach(::assertHoldsItsOffsets)
    }

    @Test
    fun theBufferKeepsAtMostTheSegmentsOfWhatItRetainsPlusOne() {
        val buffer = StreamBuffer<Int>(SlidingWindowChunkPolicy(28, 7))
        var most = 0
        for (i in 0 until 20 * segment) {
            buffer.append(i)
            buffer.forEachReady { }
            most = maxOf(most, buffer.storedSegments)
        }
        // 28 retained items are in at most 2 segments; the one being filled is one of them.
        assertEquals(2, most)
    }

    @Test
    fun outOfRangeOffsetsAreRefusedAndDropsLetGoOfWholeSegments() {
        val slots = SlotSegments()
        slots.addAll(List<Any?>(segment + 3) { it })
        assertEquals(2, slots.segmentCount)
        assertEquals(segment, slots[segment.toLong()])
        slots.dropBefore(segment - 1L)
        assertEquals(2, slots.segmentCount) // slot segment - 1 is still in the first segment
        assertFailsWith<IndexOutOfBoundsException> { slots[segment - 2L] }
        assertFailsWith<IndexOutOfBoundsException> { slots.view<Int>(segment - 1L, 5) }
        assertEquals(listOf(segment - 1, segment, segment + 1, segment + 2), slots.view<Int>(segment - 1L, 4))
        slots.dropBefore(segment.toLong())
        assertEquals(1, slots.segmentCount)
        slots.dropBefore(1L) // backwards: no change
        assertEquals(3, slots.size)
        slots[segment + 2L] = "x"
        assertEquals("x", slots[segment + 2L])
        assertFailsWith<IndexOutOfBoundsException> { slots[segment + 3L] = "y" }
    }

    @Test
    fun aViewSpanningTwoSegmentsSharesBothAndSoDoItsTails() {
        val slots = SlotSegments()
        slots.addAll(List<Any?>(3 * segment) { it })
        val start = segment - 3L
        // Up to the last slot of the second segment: the longest view that is still not a copy.
        val view = slots.view<Any?>(start, segment + 3)
        assertEquals<List<Any?>>((segment - 3 until 2 * segment).toList(), view)
        assertFailsWith<IndexOutOfBoundsException> { view[segment + 3] }
        assertFailsWith<IndexOutOfBoundsException> { view[-1] }
        // Tails starting before, at and after the segment boundary.
        assertEquals<List<Any?>>((segment - 1 until 2 * segment).toList(), view.tail(2))
        assertEquals<List<Any?>>((segment until 2 * segment).toList(), view.tail(3))
        assertEquals<List<Any?>>((segment + 4 until 2 * segment).toList(), view.tail(7))
        assertEquals<List<Any?>>(listOf(2 * segment - 1), view.tail(segment + 2))
        // A slot written after the view was taken (as a registered id's slot is) shows through it:
        // the view is a window on both segments, not a copy.
        slots[start + 1] = "a"
        slots[start + segment + 2] = "b"
        assertEquals("a", view[1])
        assertEquals("b", view[segment + 2])
        assertEquals("b", view.tail(7)[segment - 5])
        assertEquals("a", view.tail(1)[0])
    }

    @Test
    fun aViewSpanningThreeSegmentsIsACopy() {
        val slots = SlotSegments()
        slots.addAll(List<Any?>(3 * segment) { it })
        val start = segment - 3L
        val view = slots.view<Any?>(start, segment + 4)
        assertEquals<List<Any?>>((segment - 3..2 * segment).toList(), view)
        slots[start] = "a"
        slots[start + segment + 3] = "b"
        assertEquals(segment - 3, view[0])
        assertEquals(2 * segment, view[segment + 3])
        assertEquals<List<Any?>>((segment..2 * segment).toList(), view.tail(3))
    }

    @Test
    fun chunksSpanningASegmentBoundaryAreWholeForEveryContextAndOffset() {
        // Chunks of 300 with left context 25, as B3 has them: about a third span two segments.
        val buffer = StreamBuffer<Int>(LeftContextChunkPolicy(300, 25))
        val n = 4 * segment + 7
        buffer.appendAll(Array(n) { it }, 0, n)
        buffer.signalDone()
        val chunks = mutableListOf<StreamChunk<Int>>()
        buffer.forEachReady { chunks += it }
        assertTrue(chunks.count { it.startOffset / segment != (it.startOffset + it.items.size - 1) / segment } >= 3)
        chunks.forEach(::assertHoldsItsOffsets)
        chunks.forEach { c ->
            assertEquals((c.newStartOffset until c.startOffset + c.items.size).map { it.toInt() }, c.newItems, "chunk ${c.index}")
        }
        assertEquals(n.toLong(), chunks.sumOf { it.newItems.size.toLong() })
    }

    @Test
    fun bulkAppendsFillASegmentExactlyOrCrossIntoTheNextAndAnEmptyOneChangesNothing() {
        val slots = SlotSegments()
        val values = Array<Any?>(2 * segment + 5) { it }
        slots.addAll(values, 0, 0) // before there is any segment
        assertEquals(0, slots.segmentCount)
        assertEquals(0L, slots.end)
        slots.addAll(values, 0, segment - 3)
        slots.addAll(values, segment - 3, segment) // exactly the room left in the tail
        assertEquals(1, slots.segmentCount)
        slots.addAll(values, segment, segment) // with the tail full
        assertEquals(1, slots.segmentCount)
        slots.addAll(values, segment, segment + 1) // into a new segment
        slots.addAll(values, segment + 1, 2 * segment + 5) // more than the room left: crosses into a third
        assertEquals(3, slots.segmentCount)
        assertEquals(2L * segment + 5, slots.end)
        assertEquals(values.toList(), (0L until slots.end).map { slots[it] })
    }
}

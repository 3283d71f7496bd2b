package dev.sluice.buffer

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The end-of-stream rules for eager and lazy consumers, over a table of policies and stream lengths. */
class StreamBufferTableTest {
    private val policies =
        listOf(
            FixedChunkPolicy(3) to 3,
            FixedChunkPolicy(64) to 64,
            LeftContextChunkPolicy(4, 2) to 4,
            LeftContextChunkPolicy(3, 7) to 3,
            LeftContextChunkPolicy(300, 25) to 300,
            SlidingWindowChunkPolicy(28, 7) to 28,
            SlidingWindowChunkPolicy(5, 5) to 5,
            RampChunkPolicy(listOf(1, 2, 4), 2) to 4,
            RampChunkPolicy(listOf(6)) to 6,
        )

    @Test
    fun everyPolicyKeepsTheInvariantAndMatchesTheReferenceModel() {
        var rows = 0
        for ((policy, chunk) in policies) {
            for (n in listOf(0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 2, 1000).distinct()) {
                for (eager in listOf(true, false)) {
                    val row = "$policy on $n items, ${if (eager) "eager" else "lazy"}"
                    val chunks = runStream(policy, n, eager)
                    assertNull(invariantViolation(chunks, n), row)

                    // The same interleaving through the naive model gives the same chunks.
                    val model = ReferenceModel<Int>(policy)
                    val expected = mutableListOf<StreamChunk<Int>>()
                    for (i in 0 until n) {
                        model.append(i)
                        if (eager) generateSequence { model.pop() }.forEach { expected += it }
                    }
                    model.signalDone()
                    generateSequence { model.pop() }.forEach { expected += it }
                    assertEquals(expected, chunks, row)

                    // A lazy consumer sees an empty final marker only for an empty stream.
                    if (!eager) assertEquals(n == 0, chunks.last().items.isEmpty(), row)
                    rows++
                }
            }
        }
        assertEquals(126, rows)
    }

    @Test
    fun slidingWindow28By7On40Items() {
        val chunks = runStream(SlidingWindowChunkPolicy(28, 7), 40, eager = false)
        assertEquals(
            listOf(Triple(0L, 28, 0), Triple(7L, 28, 21), Triple(14L, 26, 21)),
            chunks.map { Triple(it.startOffset, it.items.size, it.contextSize) },
        )
        assertEquals((14 until 40).toList(), chunks[2].items)
        assertEquals(listOf(false, false, true), chunks.map { it.isFinal })
    }

    @Test
    fun leftContext300By25On301Items() {
        val chunks = runStream(LeftContextChunkPolicy(300, 25), 301, eager = false)
        assertEquals(2, chunks.size)
        assertEquals((0 until 300).toList(), chunks[0].items)
        assertEquals(0, chunks[0].contextSize)
        assertEquals((275 until 301).toList(), chunks[1].items)
        assertEquals(25, chunks[1].contextSize)
        assertTrue(chunks[1].isFinal)
    }

    @Test
    fun anEagerConsumerAtAnExactMultipleGetsAnEmptyFinalChunk() {
        assertEquals(
            listOf(
                StreamChunk(listOf(0, 1, 2), 0, 0, 0, isFinal = false),
                StreamChunk(emptyList(), 1, 3, 0, isFinal = true),
            ),
            runStream(FixedChunkPolicy(3), 3, eager = true),
        )
    }

    @Test
    fun aLazyConsumerAtAnExactMultipleGetsAFinalFullChunk() {
        assertEquals(listOf(StreamChunk(listOf(0, 1, 2), 0, 0, 0, isFinal = true)), runStream(FixedChunkPolicy(3), 3, eager = false))
    }

    @Test
    fun anEmptyStreamYieldsOnlyTheEmptyFinalChunk() {
        assertEquals(
            listOf(StreamChunk(emptyList<Int>(), 0, 0, 0, isFinal = true)),
            runStream(LeftContextChunkPolicy(4, 2), 0, eager = false),
        )
    }

    @Test
    fun continueAfterDoneFlushesTheRemainderThenEmptyNonFinalChunksAtTheTotal() {
        val buffer = StreamBuffer<Int>("r", "thinker->talker", 0, FixedChunkPolicy(4, continueAfterDone = true))
        (0 until 6).forEach(buffer::append)
        assertEquals(listOf(0, 1, 2, 3), buffer.popChunk().newItems)
        assertFalse(buffer.hasChunkReady())
        buffer.signalDone()
        assertEquals(StreamChunk(listOf(4, 5), 1, 4, 0, isFinal = false), buffer.popChunk())
        repeat(3) {
            assertTrue(buffer.hasChunkReady())
            assertEquals(StreamChunk(emptyList(), 2L + it, 6, 0, isFinal = false), buffer.popChunk())
        }
        assertFalse(buffer.isFinished)
    }

    @Test
    fun continueAfterDoneOnAChunkBoundaryGoesStraightToEmptyChunks() {
        val buffer = StreamBuffer<Int>("r", "e", 0, FixedChunkPolicy(2, continueAfterDone = true))
        (0 until 4).forEach(buffer::append)
        buffer.signalDone()
        assertFalse(buffer.popChunk().isFinal)
        assertFalse(buffer.popChunk().isFinal)
        assertEquals(StreamChunk(emptyList(), 2, 4, 0, isFinal = false), buffer.popChunk())
    }
}

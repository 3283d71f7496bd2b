package dev.sluice.buffer

import kotlin.reflect.KClass
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

private fun buffer(policy: ChunkPolicy = FixedChunkPolicy(2)) = StreamBuffer<String>("req-7", "thinker->talker", 3, policy)

private fun StreamBuffer<String>.popAll(): List<StreamChunk<String>> = generateSequence { pollChunk() }.toList()

/** Ordering, arrival, errors and requeue of [StreamBuffer]. */
class StreamBufferTest {
    @Test
    fun outOfOrderArrivalIsReadyOnlyWhenTheGapIsFilled() {
        val b = buffer(FixedChunkPolicy(3))
        listOf("a", "b", "c").forEach(b::preReadRegister)
        b.put("c", "C")
        assertFalse(b.hasChunkReady())
        b.put("a", "A")
        assertFalse(b.hasChunkReady())
        assertEquals(listOf<Any>("b"), b.pendingIds)
        b.put("b", "B")
        assertTrue(b.hasChunkReady())
        assertEquals(listOf("A", "B", "C"), b.popChunk().items)
    }

    @Test
    fun aRegisteredIdThatNeverArrivesHoldsTheStreamOpen() {
        val b = buffer(FixedChunkPolicy(2))
        b.preReadRegister("slow")
        b.append("x")
        b.append("y")
        b.signalDone()
        assertFalse(b.hasChunkReady())
        assertFalse(b.isFinished)
        assertEquals(listOf<Any>("slow"), b.pendingIds)
    }

    @Test
    fun doneBeforeTheReadsFinishStillEndsNormally() {
        val b = buffer(FixedChunkPolicy(2))
        listOf("a", "b", "c").forEach(b::preReadRegister)
        b.put("a", "A")
        b.signalDone()
        assertFalse(b.hasChunkReady())
        b.put("c", "C")
        assertFalse(b.hasChunkReady())
        b.put("b", "B")
        assertEquals(
            listOf(
                StreamChunk(listOf("A", "B"), 0, 0, 0, isFinal = false),
                StreamChunk(listOf("C"), 1, 2, 0, isFinal = true),
            ),
            b.popAll(),
        )
        assertTrue(b.isFinished)
    }

    @Test
    fun anUnregisteredPutTakesTheNextSlot() {
        val b = buffer(FixedChunkPolicy(3))
        b.preReadRegister("a")
        b.put("z", "Z")
        b.append("Y")
        b.put("a", "A")
        assertEquals(listOf("A", "Z", "Y"), b.popChunk().items)
    }

    /** One misuse: its error type and text, whether it happens after done, and the act. */
    private class Misuse(
        val name: String,
        val type: KClass<out Throwable>,
        val text: String,
        val afterDone: Boolean,
        val act: (StreamBuffer<String>) -> Unit,
    )

    private fun setUp(
        b: StreamBuffer<String>,
        done: Boolean,
    ) {
        b.preReadRegister("a")
        b.preReadRegister("b")
        b.put("a", "A")
        b.put("x", "X")
        if (done) b.signalDone()
    }

    private fun finish(b: StreamBuffer<String>): List<StreamChunk<String>> {
        b.put("b", "B")
        if (!b.isProducerDone) {
            b.append("C")
            b.signalDone()
        }
        return b.popAll()
    }

    @Test
    fun everyErrorNamesTheRequestTheEdgeAndTheIdAndChangesNothing() {
        val misuses =
            listOf(
                Misuse("registering an id twice", IllegalArgumentException::class, "id 'a' (String) was already registered", false) {
                    it.preReadRegister("a")
                },
                Misuse("registering an id that was put", IllegalArgumentException::class, "id 'x' (String) was already registered", false) {
                    it.preReadRegister("x")
                },
                Misuse("putting an id twice", IllegalArgumentException::class, "id 'a' (String) was already put", false) {
                    it.put("a", "again")
                },
                Misuse("putting an unregistered id twice", IllegalArgumentException::class, "id 'x' (String) was already put", false) {
                    it.put("x", "again")
                },
                Misuse("registering after done", IllegalStateException::class, "cannot register id 'n' (String) after signalDone()", true) {
                    it.preReadRegister("n")
                },
                Misuse("putting an unregistered id after done", IllegalStateException::class, "unregistered id 'n' (String) after", true) {
                    it.put("n", "N")
                },
                Misuse("appending after done", IllegalStateException::class, "cannot append (no id) after signalDone()", true) {
                    it.append("N")
                },
                Misuse("popping when no chunk is ready", NoSuchElementException::class, "no chunk is ready", false) {
                    it.popChunk()
                },
                Misuse("requeueing a chunk that was never popped", IllegalArgumentException::class, "cannot requeue chunk 5", false) {
                    it.requeue(StreamChunk(listOf("Q"), 5, 0, 0, false))
                },
            )
        for (misuse in misuses) {
            val expected = finish(buffer().also { setUp(it, misuse.afterDone) })

            val b = buffer().also { setUp(it, misuse.afterDone) }
            val before = b.toString()
            val error = assertNotNull(runCatching { misuse.act(b) }.exceptionOrNull(), "no exception for ${misuse.name}")
            assertEquals(misuse.type, error::class, misuse.name)
            val message = error.message.orEmpty()
            assertContains(message, "request 'req-7', edge 'thinker->talker', partition 3", message = misuse.name)
            assertContains(message, misuse.text, message = misuse.name)
            assertEquals(before, b.toString(), misuse.name)
            assertEquals(expected, finish(b), misuse.name)
        }
    }

    @Test
    fun puttingARegisteredPendingIdAfterDoneIsAllowed() {
        val b = buffer()
        b.preReadRegister("late")
        b.signalDone()
        b.put("late", "L")
        assertEquals(listOf(StreamChunk(listOf("L"), 0, 0, 0, isFinal = true)), b.popAll())
    }

    @Test
    fun signalDoneTwiceIsHarmless() {
        val b = buffer()
        b.append("A")
        b.signalDone()
        b.signalDone()
        assertTrue(b.popAll().single().isFinal)
    }

    @Test
    fun hasChunkReadyChangesNothingACallerCanObserve() {
        val b = buffer(SlidingWindowChunkPolicy(3, 1))
        (0 until 5).forEach { b.append("$it") }
        val before = b.toString()
        repeat(5) { assertTrue(b.hasChunkReady()) }
        assertEquals(before, b.toString())
        assertEquals(5, b.retainedCount)
    }

    @Test
    fun requeuedChunksComeOutAgainFirstInTheOrderTheyWereRequeued() {
        val b = buffer(FixedChunkPolicy(1))
        (0 until 4).forEach { b.append("$it") }
        val c0 = b.popChunk()
        val c1 = b.popChunk()
        b.requeue(c1)
        b.requeue(c0)
        assertEquals(c1, b.popChunk())
        assertEquals(c0, b.popChunk())
        assertEquals(listOf("2"), b.popChunk().items)
    }

    @Test
    fun aRequeuedFinalChunkUnfinishesTheStreamUntilItIsPoppedAgain() {
        val b = buffer()
        b.append("A")
        b.signalDone()
        val last = b.popChunk()
        assertTrue(b.isFinished)
        b.requeue(last)
        assertFalse(b.isFinished)
        assertTrue(b.hasChunkReady())
        assertEquals(last, b.popChunk())
        assertTrue(b.isFinished)
    }

    @Test
    fun requeueingTheSameChunkTwiceFailsAndChangesNothing() {
        val b = buffer(FixedChunkPolicy(1))
        b.append("A")
        val c = b.popChunk()
        b.requeue(c)
        assertContains(assertFailsWith<IllegalArgumentException> { b.requeue(c) }.message.orEmpty(), "chunk 0 is already requeued")
        assertEquals(c, b.popChunk())
        assertNull(b.pollChunk())
    }

    @Test
    fun retentionIsTheUndeliveredItemsPlusTheNextChunksContext() {
        val cases =
            listOf(
                LeftContextChunkPolicy(4, 3) to 3,
                SlidingWindowChunkPolicy(28, 7) to 21,
                RampChunkPolicy(listOf(1, 5), 2) to 2,
                FixedChunkPolicy(8) to 0,
            )
        for ((policy, context) in cases) {
            val b = StreamBuffer<Int>("r", "e", 0, policy)
            var delivered = 0L
            repeat(500) { i ->
                b.append(i)
                while (b.hasChunkReady()) delivered += b.popChunk().newItems.size
                // Undelivered items plus at most the largest context of the table.
                val bound = (i + 1 - delivered) + 21
                assertTrue(b.retainedCount <= bound, "$policy: retained ${b.retainedCount} > $bound")
            }
            // After a pop, exactly the next chunk's context plus the undelivered items remain.
            assertEquals((500 - delivered) + context, b.retainedCount.toLong(), "$policy")
        }
    }

    @Test
    fun poppedItemsAreSnapshotsThatLaterPutsDoNotChange() {
        val b = StreamBuffer<Int>("r", "e", 0, SlidingWindowChunkPolicy(2, 1))
        (0 until 40).forEach(b::append)
        val first = b.popChunk()
        repeat(30) { b.popChunk() }
        (40 until 100).forEach(b::append)
        assertEquals(listOf(0, 1), first.items)
    }
}

package dev.sluice.buffer

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class AppendAllTest {
    private fun describe(c: StreamChunk<Int>) = "${c.items} ctx=${c.contextSize} start=${c.startOffset} final=${c.isFinal}"

    @Test
    fun blocksGiveTheChunksOfOneByOneAppends() {
        val policies =
            listOf(
                FixedChunkPolicy(5),
                LeftContextChunkPolicy(7, 3),
                SlidingWindowChunkPolicy(28, 7),
                RampChunkPolicy(listOf(1, 2, 4, 8), 2),
            )
        for ((p, policy) in policies.withIndex()) {
            repeat(20) { round ->
                val random = Random(round * 13 + p)
                val n = random.nextInt(0, 600)
                val one = StreamBuffer<Int>("r", "e", 0, policy)
                val bulk = StreamBuffer<Int>("r", "e", 0, policy)
                val expected = mutableListOf<String>()
                val actual = mutableListOf<String>()
                var at = 0
                while (at < n) {
                    val block = minOf(n - at, random.nextInt(0, 70))
                    val items = (at until at + block).toList()
                    items.forEach { one.append(it) }
                    // Both overloads, and the array one at an offset inside a bigger array.
                    if (random.nextBoolean()) {
                        bulk.appendAll(items)
                    } else {
                        val padded = arrayOf(-1, -1) + items.toTypedArray() + arrayOf(-1)
                        bulk.appendAll(padded, 2, block)
                    }
                    at += block
                    // Pop now and then, so the ring's head moves and blocks wrap around its end.
                    if (random.nextInt(3) == 0) {
                        while (one.hasChunkReady()) expected += describe(one.popChunk())
                        while (bulk.hasChunkReady()) actual += describe(bulk.popChunk())
                    }
                }
                one.signalDone()
                bulk.signalDone()
                while (one.hasChunkReady()) expected += describe(one.popChunk())
                while (bulk.hasChunkReady()) actual += describe(bulk.popChunk())
                assertEquals(expected, actual, "$policy, round $round")
            }
        }
    }

    @Test
    fun blocksFollowRegisteredSlots() {
        val buffer = StreamBuffer<Int>("r", "e", 0, FixedChunkPolicy(3))
        buffer.preReadRegister("a")
        buffer.appendAll(listOf(2, 3))
        assertEquals(false, buffer.hasChunkReady()) // waits for "a"
        buffer.put("a", 1)
        assertEquals(listOf(1, 2, 3), buffer.popChunk().items)
    }

    @Test
    fun badBlocksChangeNothing() {
        val buffer = StreamBuffer<Int>("r", "e", 0, FixedChunkPolicy(2))
        val items = arrayOf(1, 2, 3)
        assertFailsWith<IllegalArgumentException> { buffer.appendAll(items, 2, 2) }
        assertFailsWith<IllegalArgumentException> { buffer.appendAll(items, -1, 1) }
        assertFailsWith<IllegalArgumentException> { buffer.appendAll(items, 0, -1) }
        assertEquals(false, buffer.hasChunkReady())
        buffer.appendAll(emptyList())
        buffer.appendAll(items, 3, 0)
        buffer.appendAll(items)
        buffer.signalDone()
        assertFailsWith<IllegalStateException> { buffer.appendAll(listOf(4)) }
        assertFailsWith<IllegalStateException> { buffer.appendAll(arrayOf(4)) }
        assertEquals(listOf(listOf(1, 2), listOf(3)), listOf(buffer.popChunk().items, buffer.popChunk().items))
    }
}

package dev.sluice.buffer

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** A random built-in policy, never continueAfterDone (the invariants below assume one final chunk). */
fun randomPolicy(random: Random): ChunkPolicy =
    when (random.nextInt(4)) {
        0 -> FixedChunkPolicy(random.nextInt(1, 9))
        1 -> LeftContextChunkPolicy(random.nextInt(1, 9), random.nextInt(0, 12))
        2 -> random.nextInt(1, 12).let { w -> SlidingWindowChunkPolicy(w, random.nextInt(1, w + 1)) }
        else -> RampChunkPolicy(List(random.nextInt(1, 4)) { random.nextInt(1, 7) }, random.nextInt(0, 5))
    }

/** Seeded property loops: the same seeds, so the same cases, on every platform. */
class StreamBufferPropertyTest {
    @Test
    fun randomRegistrationArrivalPoppingAndDoneTimingKeepTheInvariantAndMatchTheModel() {
        for (seed in 0L until 400L) {
            val random = Random(seed)
            val n = random.nextInt(0, 121)
            val policy = randomPolicy(random)
            val case = "seed $seed: $policy on $n items"
            val buffer = StreamBuffer<Int>("prop", "edge", 1, policy)
            val model = ReferenceModel<Int>(policy)
            val chunks = mutableListOf<StreamChunk<Int>>()
            val pending = mutableListOf<Int>() // registered ids (= their items) not yet put
            var created = 0

            fun poll() {
                val got = buffer.pollChunk()
                assertEquals(model.pop(), got, case)
                if (got != null) chunks += got
            }

            while (created < n || pending.isNotEmpty() || !buffer.isProducerDone) {
                when (random.nextInt(5)) {
                    0 ->
                        if (created < n) {
                            val i = created++
                            when (random.nextInt(3)) {
                                0 -> buffer.append(i).also { model.append(i) }
                                1 -> buffer.put("u$i", i).also { model.put("u$i", i) }
                                else -> buffer.preReadRegister(i).also { model.register(i) }.also { pending += i }
                            }
                        }
                    1 ->
                        if (pending.isNotEmpty()) {
                            val i = pending.removeAt(random.nextInt(pending.size))
                            buffer.put(i, i)
                            model.put(i, i)
                        }
                    2 ->
                        if (created == n && !buffer.isProducerDone) {
                            buffer.signalDone()
                            model.signalDone()
                        }
                    else -> poll()
                }
                assertEquals(pending.size, buffer.pendingIds.size, case)
            }
            while (!buffer.isFinished) poll()
            assertNull(buffer.pollChunk(), case)

            assertEquals((0 until n).toList(), chunks.flatMap { it.newItems }, case)
            assertEquals(1, chunks.count { it.isFinal }, case)
            for (c in chunks.filter { it.newItems.isEmpty() }) {
                assertTrue(c.isFinal && c.items.isEmpty() && c.startOffset == n.toLong(), "$case: $c")
            }
            assertNull(invariantViolation(chunks, n), case)
        }
    }

    @Test
    fun leftContextSlicesExactlyLikeHuggingFaceChunkedDecode() {
        val random = Random(2024)
        repeat(400) {
            val chunk = random.nextInt(1, 41)
            val left = random.nextInt(0, 61)
            val length = random.nextInt(0, 401)
            // The loop of Qwen3OmniMoeCode2Wav.chunked_decode, over item offsets.
            val hf = mutableListOf<IntRange>()
            var start = 0
            while (start < length) {
                val end = minOf(start + chunk, length)
                val context = if (start - left > 0) left else start
                hf += (start - context) until end
                start = end
            }
            val ours =
                runStream(LeftContextChunkPolicy(chunk, left), length, eager = false)
                    .filter { it.items.isNotEmpty() }
                    .map { it.startOffset.toInt() until it.startOffset.toInt() + it.items.size }
            assertEquals(hf, ours, "chunk $chunk, left $left, length $length")
        }
    }
}

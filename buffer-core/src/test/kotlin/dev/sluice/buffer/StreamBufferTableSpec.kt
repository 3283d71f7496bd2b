package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe

/** A row of the table: a policy, the size a chunk of it needs, a stream length, an interleaving. */
data class Row(
    val policy: ChunkPolicy,
    val n: Int,
    val eager: Boolean,
) {
    override fun toString(): String = "$policy on $n items, ${if (eager) "eager" else "lazy"}"
}

private fun rows(
    policy: ChunkPolicy,
    chunk: Int,
): List<Row> =
    listOf(0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 2, 1000)
        .filter { it >= 0 }
        .distinct()
        .flatMap { n -> listOf(Row(policy, n, eager = true), Row(policy, n, eager = false)) }

class StreamBufferTableSpec :
    FunSpec({
        val policies =
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

        context("every policy keeps the invariant and matches the reference model") {
            withData(nameFn = { it.toString() }, policies.flatMap { (p, c) -> rows(p, c) }) { row ->
                val chunks = runStream(row.policy, row.n, row.eager)
                invariantViolation(chunks, row.n) shouldBe null

                // The same interleaving through the naive model gives the same chunks.
                val model = ReferenceModel<Int>(row.policy)
                val expected = mutableListOf<StreamChunk<Int>>()
                for (i in 0 until row.n) {
                    model.append(i)
                    if (row.eager) generateSequence { model.pop() }.forEach { expected += it }
                }
                model.signalDone()
                generateSequence { model.pop() }.forEach { expected += it }
                chunks shouldBe expected

                // An empty final marker appears exactly when the consumer popped the last item
                // before the producer said done, or when the stream is empty.
                val marker = chunks.last().items.isEmpty()
                if (!row.eager) marker shouldBe (row.n == 0)
            }
        }

        context("the cases DESIGN.md's sources fix") {
            test("SlidingWindowChunkPolicy(28, 7) on 40 items: windows at 0 and 7, then a final chunk at 14 with context 21") {
                val chunks = runStream(SlidingWindowChunkPolicy(28, 7), 40, eager = false)
                chunks shouldHaveSize 3
                chunks.map { Triple(it.startOffset, it.items.size, it.contextSize) } shouldBe
                    listOf(Triple(0L, 28, 0), Triple(7L, 28, 21), Triple(14L, 26, 21))
                chunks[2].items shouldBe (14 until 40).toList()
                chunks.map { it.isFinal } shouldBe listOf(false, false, true)
            }

            test("LeftContextChunkPolicy(300, 25) on 301 items: [0,300) with no context, then a final [275,301) with context 25") {
                val chunks = runStream(LeftContextChunkPolicy(300, 25), 301, eager = false)
                chunks shouldHaveSize 2
                chunks[0].items shouldBe (0 until 300).toList()
                chunks[0].contextSize shouldBe 0
                chunks[1].items shouldBe (275 until 301).toList()
                chunks[1].contextSize shouldBe 25
                chunks[1].isFinal shouldBe true
            }

            test("FixedChunkPolicy(3) on 3 items, eager: [0,1,2] not final, then an empty final chunk at offset 3") {
                val chunks = runStream(FixedChunkPolicy(3), 3, eager = true)
                chunks shouldBe
                    listOf(
                        StreamChunk(listOf(0, 1, 2), 0, 0, 0, isFinal = false),
                        StreamChunk(emptyList(), 1, 3, 0, isFinal = true),
                    )
            }

            test("FixedChunkPolicy(3) on 3 items, lazy: the full chunk is final itself") {
                runStream(FixedChunkPolicy(3), 3, eager = false) shouldBe
                    listOf(StreamChunk(listOf(0, 1, 2), 0, 0, 0, isFinal = true))
            }

            test("an empty stream yields only the empty final chunk") {
                runStream(LeftContextChunkPolicy(4, 2), 0, eager = false) shouldBe
                    listOf(StreamChunk(emptyList<Int>(), 0, 0, 0, isFinal = true))
            }
        }

        context("continueAfterDone") {
            test("the remainder is flushed as not final, then every pop is an empty, non-final chunk at the total") {
                val buffer = StreamBuffer<Int>("r", "thinker->talker", 0, FixedChunkPolicy(4, continueAfterDone = true))
                (0 until 6).forEach(buffer::append)
                buffer.popChunk().newItems shouldBe listOf(0, 1, 2, 3)
                buffer.hasChunkReady() shouldBe false
                buffer.signalDone()
                buffer.popChunk() shouldBe StreamChunk(listOf(4, 5), 1, 4, 0, isFinal = false)
                repeat(3) {
                    buffer.hasChunkReady() shouldBe true
                    buffer.popChunk() shouldBe StreamChunk(emptyList(), 2L + it, 6, 0, isFinal = false)
                }
                buffer.isFinished shouldBe false
            }

            test("a stream that ends on a chunk boundary goes straight to empty chunks") {
                val buffer = StreamBuffer<Int>("r", "e", 0, FixedChunkPolicy(2, continueAfterDone = true))
                (0 until 4).forEach(buffer::append)
                buffer.signalDone()
                buffer.popChunk().isFinal shouldBe false
                buffer.popChunk().isFinal shouldBe false
                buffer.popChunk() shouldBe StreamChunk(emptyList(), 2, 4, 0, isFinal = false)
            }
        }
    })

package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.random.Random

/** A random built-in policy, never continueAfterDone (the invariants below assume one final chunk). */
fun randomPolicy(random: Random): ChunkPolicy =
    when (random.nextInt(4)) {
        0 -> FixedChunkPolicy(random.nextInt(1, 9))
        1 -> LeftContextChunkPolicy(random.nextInt(1, 9), random.nextInt(0, 12))
        2 -> random.nextInt(1, 12).let { w -> SlidingWindowChunkPolicy(w, random.nextInt(1, w + 1)) }
        else -> RampChunkPolicy(List(random.nextInt(1, 4)) { random.nextInt(1, 7) }, random.nextInt(0, 5))
    }

class StreamBufferPropertySpec :
    FunSpec({
        test("random registration, arrival, popping and done timing keep the invariant and match the model") {
            checkAll(400, Arb.long(), Arb.int(0..120)) { seed, n ->
                val random = Random(seed)
                val policy = randomPolicy(random)
                val buffer = StreamBuffer<Int>("prop", "edge", 1, policy)
                val model = ReferenceModel<Int>(policy)
                val chunks = mutableListOf<StreamChunk<Int>>()
                val pending = mutableListOf<Int>() // registered ids (= their items) not yet put
                var created = 0

                fun poll() {
                    val got = buffer.pollChunk()
                    got shouldBe model.pop()
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
                    buffer.pendingIds.size shouldBe pending.size
                }
                while (!buffer.isFinished) poll()
                buffer.pollChunk() shouldBe null

                val news = chunks.flatMap { it.newItems }
                news shouldBe (0 until n).toList()
                chunks.count { it.isFinal } shouldBe 1
                chunks.filter { it.newItems.isEmpty() }.forEach { c ->
                    (c.isFinal && c.items.isEmpty() && c.startOffset == n.toLong()) shouldBe true
                }
                invariantViolation(chunks, n) shouldBe null
            }
        }

        test("LeftContextChunkPolicy slices exactly like Hugging Face chunked_decode, left > chunk included") {
            checkAll(400, Arb.int(1..40), Arb.int(0..60), Arb.int(0..400)) { chunk, left, length ->
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
                ours shouldBe hf
            }
        }
    })

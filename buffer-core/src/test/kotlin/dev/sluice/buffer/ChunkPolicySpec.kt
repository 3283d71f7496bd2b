package dev.sluice.buffer

import dev.sluice.buffer.samples.DoublingPolicy
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain

class ChunkPolicySpec :
    FunSpec({
        context("bad parameters fail at construction, naming the parameter and the value") {
            withData<Triple<String, String, () -> ChunkPolicy>>(
                nameFn = { it.first },
                Triple("FixedChunkPolicy(0)", "chunkSize must be >= 1, was 0") { FixedChunkPolicy(0) },
                Triple("LeftContextChunkPolicy(0, 1)", "chunk must be >= 1, was 0") { LeftContextChunkPolicy(0, 1) },
                Triple("LeftContextChunkPolicy(4, -1)", "leftContext must be >= 0, was -1") { LeftContextChunkPolicy(4, -1) },
                Triple("SlidingWindowChunkPolicy(0, 1)", "window must be >= 1, was 0") { SlidingWindowChunkPolicy(0, 1) },
                Triple("SlidingWindowChunkPolicy(4, 0)", "stride must be >= 1, was 0") { SlidingWindowChunkPolicy(4, 0) },
                Triple("SlidingWindowChunkPolicy(4, 5)", "stride must be <= window, was stride=5, window=4") {
                    SlidingWindowChunkPolicy(4, 5)
                },
                Triple("RampChunkPolicy([])", "sizes must not be empty") { RampChunkPolicy(emptyList()) },
                Triple("RampChunkPolicy([2, 0])", "sizes[1] must be >= 1, was 0") { RampChunkPolicy(listOf(2, 0)) },
                Triple("RampChunkPolicy([2], -3)", "leftContext must be >= 0, was -3") { RampChunkPolicy(listOf(2), -3) },
            ) { (_, message, make) ->
                shouldThrow<IllegalArgumentException> { make() }.message shouldBe message
            }
        }

        context("policies are values") {
            withData<Triple<ChunkPolicy, ChunkPolicy, ChunkPolicy>>(
                nameFn = { it.first.toString() },
                Triple(FixedChunkPolicy(3), FixedChunkPolicy(3), FixedChunkPolicy(3, continueAfterDone = true)),
                Triple(LeftContextChunkPolicy(300, 25), LeftContextChunkPolicy(300, 25), LeftContextChunkPolicy(300, 24)),
                Triple(SlidingWindowChunkPolicy(28, 7), SlidingWindowChunkPolicy(28, 7), SlidingWindowChunkPolicy(28, 6)),
                Triple(RampChunkPolicy(listOf(1, 2), 1), RampChunkPolicy(listOf(1, 2), 1), RampChunkPolicy(listOf(1, 3), 1)),
            ) { (a, same, other) ->
                a shouldBe same
                a.hashCode() shouldBe same.hashCode()
                a shouldNotBe other
                a.toString() shouldBe same.toString()
                a.toString() shouldNotBe other.toString()
            }
        }

        test("toString names the parameters") {
            SlidingWindowChunkPolicy(28, 7).toString() shouldBe "SlidingWindowChunkPolicy(window=28, stride=7)"
            RampChunkPolicy(listOf(2, 4), 1).toString() shouldBe "RampChunkPolicy(sizes=[2, 4], leftContext=1)"
        }

        test("RampChunkPolicy keeps its own copy of sizes") {
            val sizes = mutableListOf(1, 2)
            val policy = RampChunkPolicy(sizes)
            sizes[0] = 99
            policy.newItems(0, 0) shouldBe 1
        }

        test("the policy formulas of DESIGN.md") {
            val left = LeftContextChunkPolicy(4, 6)
            left.contextSize(1, 4) shouldBe 4
            left.contextSize(2, 8) shouldBe 6
            val sliding = SlidingWindowChunkPolicy(28, 7)
            (sliding.newItems(0, 0) to sliding.contextSize(0, 0)) shouldBe (28 to 0)
            (sliding.newItems(3, 49) to sliding.contextSize(3, 49)) shouldBe (7 to 21)
            val ramp = RampChunkPolicy(listOf(1, 2, 4), 3)
            (0..4).map { ramp.newItems(it.toLong(), 0) } shouldBe listOf(1, 2, 4, 4, 4)
            ramp.contextSize(1, 1) shouldBe 1
        }

        test("one policy instance serves many buffers at once without mixing their state") {
            val shared = SlidingWindowChunkPolicy(4, 2)
            val a = StreamBuffer<Int>("a", "e", 0, shared)
            val b = StreamBuffer<Int>("b", "e", 0, shared)
            val outA = mutableListOf<StreamChunk<Int>>()
            val outB = mutableListOf<StreamChunk<Int>>()
            for (i in 0 until 11) {
                a.append(i)
                drain(a, outA)
                if (i % 3 == 0) {
                    b.append(i / 3)
                    drain(b, outB)
                }
            }
            a.signalDone()
            b.signalDone()
            drain(a, outA)
            drain(b, outB)
            invariantViolation(outA, 11) shouldBe null
            invariantViolation(outB, 4) shouldBe null
        }

        test("a custom policy works like a built-in one") {
            runStream(DoublingPolicy(1), 10, eager = true).map { it.newItems } shouldBe
                listOf(listOf(0), listOf(1, 2), listOf(3, 4, 5, 6), listOf(7, 8, 9))
        }

        test("a custom policy that breaks the contract is reported, not obeyed") {
            val zero =
                object : ChunkPolicy {
                    override fun newItems(
                        index: Long,
                        delivered: Long,
                    ) = 0

                    override fun contextSize(
                        index: Long,
                        delivered: Long,
                    ) = 0

                    override fun toString() = "ZeroPolicy"
                }
            shouldThrow<IllegalStateException> { StreamBuffer<Int>("r", "e", 0, zero).hasChunkReady() }.message shouldContain
                "ZeroPolicy returned newItems=0 for chunk 0"
            val greedy =
                object : ChunkPolicy {
                    override fun newItems(
                        index: Long,
                        delivered: Long,
                    ) = 2

                    override fun contextSize(
                        index: Long,
                        delivered: Long,
                    ) = delivered.toInt() + 1
                }
            shouldThrow<IllegalStateException> { StreamBuffer<Int>("r", "e", 0, greedy).pollChunk() }.message shouldContain
                "contextSize=1 for chunk 0 after 0 delivered items"
        }
    })

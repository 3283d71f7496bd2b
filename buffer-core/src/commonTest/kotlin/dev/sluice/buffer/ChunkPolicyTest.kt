package dev.sluice.buffer

import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertNull

/** A custom policy for these tests: chunks that double in size, no context. */
private data class Doubling(
    val first: Int,
) : ChunkPolicy {
    override fun newItems(
        index: Long,
        delivered: Long,
    ): Int = first shl minOf(index, 20L).toInt()

    override fun contextSize(
        index: Long,
        delivered: Long,
    ): Int = 0
}

class ChunkPolicyTest {
    @Test
    fun badParametersFailAtConstructionNamingTheParameterAndTheValue() {
        val cases: List<Pair<String, () -> ChunkPolicy>> =
            listOf(
                "chunkSize must be >= 1, was 0" to { FixedChunkPolicy(0) },
                "chunk must be >= 1, was 0" to { LeftContextChunkPolicy(0, 1) },
                "leftContext must be >= 0, was -1" to { LeftContextChunkPolicy(4, -1) },
                "window must be >= 1, was 0" to { SlidingWindowChunkPolicy(0, 1) },
                "stride must be >= 1, was 0" to { SlidingWindowChunkPolicy(4, 0) },
                "stride must be <= window, was stride=5, window=4" to { SlidingWindowChunkPolicy(4, 5) },
                "sizes must not be empty" to { RampChunkPolicy(emptyList()) },
                "sizes[1] must be >= 1, was 0" to { RampChunkPolicy(listOf(2, 0)) },
                "leftContext must be >= 0, was -3" to { RampChunkPolicy(listOf(2), -3) },
            )
        for ((message, make) in cases) {
            assertEquals(message, assertFailsWith<IllegalArgumentException> { make() }.message)
        }
    }

    @Test
    fun policiesAreValues() {
        val cases =
            listOf(
                Triple(FixedChunkPolicy(3), FixedChunkPolicy(3), FixedChunkPolicy(3, continueAfterDone = true)),
                Triple(LeftContextChunkPolicy(300, 25), LeftContextChunkPolicy(300, 25), LeftContextChunkPolicy(300, 24)),
                Triple(SlidingWindowChunkPolicy(28, 7), SlidingWindowChunkPolicy(28, 7), SlidingWindowChunkPolicy(28, 6)),
                Triple(RampChunkPolicy(listOf(1, 2), 1), RampChunkPolicy(listOf(1, 2), 1), RampChunkPolicy(listOf(1, 3), 1)),
            )
        for ((a, same, other) in cases) {
            assertEquals<ChunkPolicy>(same, a)
            assertEquals(same.hashCode(), a.hashCode(), "$a")
            assertNotEquals<ChunkPolicy>(other, a)
            assertEquals(same.toString(), a.toString())
            assertNotEquals(other.toString(), a.toString())
        }
    }

    @Test
    fun toStringNamesTheParameters() {
        assertEquals("SlidingWindowChunkPolicy(window=28, stride=7)", SlidingWindowChunkPolicy(28, 7).toString())
        assertEquals("RampChunkPolicy(sizes=[2, 4], leftContext=1)", RampChunkPolicy(listOf(2, 4), 1).toString())
    }

    @Test
    fun rampChunkPolicyKeepsItsOwnCopyOfSizes() {
        val sizes = mutableListOf(1, 2)
        val policy = RampChunkPolicy(sizes)
        sizes[0] = 99
        assertEquals(1, policy.newItems(0, 0))
    }

    @Test
    fun thePolicyFormulas() {
        val left = LeftContextChunkPolicy(4, 6)
        assertEquals(4, left.contextSize(1, 4))
        assertEquals(6, left.contextSize(2, 8))
        val sliding = SlidingWindowChunkPolicy(28, 7)
        assertEquals(28 to 0, sliding.newItems(0, 0) to sliding.contextSize(0, 0))
        assertEquals(7 to 21, sliding.newItems(3, 49) to sliding.contextSize(3, 49))
        val ramp = RampChunkPolicy(listOf(1, 2, 4), 3)
        assertEquals(listOf(1, 2, 4, 4, 4), (0..4).map { ramp.newItems(it.toLong(), 0) })
        assertEquals(1, ramp.contextSize(1, 1))
    }

    @Test
    fun onePolicyInstanceServesManyBuffersWithoutMixingTheirState() {
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
        assertNull(invariantViolation(outA, 11))
        assertNull(invariantViolation(outB, 4))
    }

    @Test
    fun aCustomPolicyWorksLikeABuiltInOne() {
        assertEquals(
            listOf(listOf(0), listOf(1, 2), listOf(3, 4, 5, 6), listOf(7, 8, 9)),
            runStream(Doubling(1), 10, eager = true).map { it.newItems },
        )
    }

    @Test
    fun aCustomPolicyThatBreaksTheContractIsReportedNotObeyed() {
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
        val zeroError = assertFailsWith<IllegalStateException> { StreamBuffer<Int>("r", "e", 0, zero).hasChunkReady() }
        assertContains(zeroError.message.orEmpty(), "ZeroPolicy returned newItems=0 for chunk 0")
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
        val greedyError = assertFailsWith<IllegalStateException> { StreamBuffer<Int>("r", "e", 0, greedy).pollChunk() }
        assertContains(greedyError.message.orEmpty(), "contextSize=1 for chunk 0 after 0 delivered items")
    }
}

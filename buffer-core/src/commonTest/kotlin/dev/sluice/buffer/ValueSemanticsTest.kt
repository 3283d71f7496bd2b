package dev.sluice.buffer

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

/**
 * The value types' properties, equality, hashes and descriptions. Each assertion here was added
 * for a mutant that PIT showed surviving: nothing else read these properties or hashes.
 */
class ValueSemanticsTest {
    /** Equal values hash alike; the distinct values of [distinct] all hash differently. */
    private fun <T> assertValueSemantics(
        distinct: List<T>,
        copy: (T) -> T,
    ) {
        for (v in distinct) {
            val twin = copy(v)
            assertEquals(v, twin)
            assertEquals(v.hashCode(), twin.hashCode(), "hash of $v")
        }
        val hashes = distinct.map { it.hashCode() }
        assertEquals(distinct.size, hashes.toSet().size, "hashes collide: ${distinct.zip(hashes)}")
        for (i in distinct.indices) for (j in distinct.indices) if (i != j) assertNotEquals(distinct[i], distinct[j])
    }

    @Test
    fun policiesExposeTheirSettings() {
        val fixed = FixedChunkPolicy(7, continueAfterDone = true)
        assertEquals(7, fixed.chunkSize)
        assertTrue(fixed.continueAfterDone)
        assertFalse(FixedChunkPolicy(7).continueAfterDone)

        val left = LeftContextChunkPolicy(512, 64)
        assertEquals(512, left.chunk)
        assertEquals(64, left.leftContext)
        assertFalse(left.continueAfterDone)

        val sliding = SlidingWindowChunkPolicy(28, 7)
        assertEquals(28, sliding.window)
        assertEquals(7, sliding.stride)
        assertFalse(sliding.continueAfterDone)

        val ramp = RampChunkPolicy(listOf(1, 2, 4), 3)
        assertEquals(listOf(1, 2, 4), ramp.sizes)
        assertEquals(3, ramp.leftContext)
        assertFalse(ramp.continueAfterDone)
    }

    @Test
    fun aCustomPolicyDoesNotContinueAfterDoneUnlessItSaysSo() {
        val custom =
            object : ChunkPolicy {
                override fun newItems(
                    index: Long,
                    delivered: Long,
                ): Int = 2

                override fun contextSize(
                    index: Long,
                    delivered: Long,
                ): Int = 0
            }
        assertFalse(custom.continueAfterDone)
    }

    @Test
    fun policiesHaveValueEqualityAndSpreadHashes() {
        assertValueSemantics(
            listOf(1, 2, 3, 64, 512).flatMap { listOf(FixedChunkPolicy(it), FixedChunkPolicy(it, true)) },
        ) { FixedChunkPolicy(it.chunkSize, it.continueAfterDone) }
        assertValueSemantics(
            listOf(
                LeftContextChunkPolicy(1, 0),
                LeftContextChunkPolicy(2, 1),
                LeftContextChunkPolicy(512, 64),
                LeftContextChunkPolicy(512, 63),
            ),
        ) { LeftContextChunkPolicy(it.chunk, it.leftContext) }
        assertValueSemantics(
            listOf(
                SlidingWindowChunkPolicy(2, 1),
                SlidingWindowChunkPolicy(3, 1),
                SlidingWindowChunkPolicy(28, 7),
                SlidingWindowChunkPolicy(28, 8),
            ),
        ) { SlidingWindowChunkPolicy(it.window, it.stride) }
        assertValueSemantics(
            listOf(
                RampChunkPolicy(listOf(1)),
                RampChunkPolicy(listOf(1), 1),
                RampChunkPolicy(listOf(1, 2)),
                RampChunkPolicy(listOf(2, 1), 5),
            ),
        ) { RampChunkPolicy(it.sizes, it.leftContext) }
    }

    @Test
    fun policiesDescribeThemselves() {
        assertEquals("FixedChunkPolicy(chunkSize=7, continueAfterDone=true)", FixedChunkPolicy(7, true).toString())
        assertEquals("LeftContextChunkPolicy(chunk=512, leftContext=64)", LeftContextChunkPolicy(512, 64).toString())
        assertEquals("SlidingWindowChunkPolicy(window=28, stride=7)", SlidingWindowChunkPolicy(28, 7).toString())
        assertEquals("RampChunkPolicy(sizes=[1, 2], leftContext=3)", RampChunkPolicy(listOf(1, 2), 3).toString())
    }

    @Test
    fun chunksHaveValueEqualityAndSpreadHashes() {
        val chunks =
            listOf(
                StreamChunk(listOf(1, 2, 3), 0, 0, 0, false),
                StreamChunk(listOf(1, 2, 3), 1, 0, 0, false),
                StreamChunk(listOf(1, 2, 3), 0, 1, 0, false),
                StreamChunk(listOf(1, 2, 3), 0, 0, 1, false),
                StreamChunk(listOf(1, 2, 3), 0, 0, 0, true),
                StreamChunk(listOf(3, 2, 1), 0, 0, 0, false),
                StreamChunk(listOf(1, 2, 3), 1, 1, 1, true),
            )
        assertValueSemantics(chunks) { StreamChunk(it.items.toList(), it.index, it.startOffset, it.contextSize, it.isFinal) }
        val chunk = StreamChunk(listOf("a", "b", "c", "d"), 4, 10, 2, true)
        assertEquals(12, chunk.newStartOffset)
        assertEquals(listOf("c", "d"), chunk.newItems)
        assertEquals("StreamChunk(index=4, startOffset=10, contextSize=2, isFinal=true, items=[a, b, c, d])", chunk.toString())
    }

    @Test
    fun aStereoFrameCountsSampleFramesAndValues() {
        // Left context 2 sample frames of 2 channels; the last frame is padded.
        val reframer = FloatReframer(LeftContextChunkPolicy(3, 2), channels = 2)
        reframer.push(FloatArray(8) { it.toFloat() }) // 4 sample frames
        val first = reframer.nextFrame()
        assertEquals(2, first.channels)
        assertEquals(0, first.contextSize)
        assertEquals(3, first.newSize)
        assertEquals(first.offset, first.newOffset)
        assertEquals(6, first.newLength)
        reframer.finish(padFinal = true)
        val last = reframer.nextFrame()
        assertEquals(2, last.contextSize)
        assertEquals(2, last.paddingSize)
        assertEquals(1, last.newSize)
        assertEquals(last.offset + 4, last.newOffset)
        assertEquals(2, last.newLength)
        assertEquals(6f, last.array[last.newOffset])
        assertEquals(7f, last.array[last.newOffset + 1])
        assertEquals(
            "FloatFrame(index=1, startOffset=1, length=10, contextSize=2, paddingSize=2, channels=2, isFinal=true)",
            last.toString(),
        )
    }

    @Test
    fun reframersAndDecodersReportTheirState() {
        val reframer = ShortReframer(FixedChunkPolicy(2))
        assertFalse(reframer.isProducerDone)
        assertFalse(reframer.isFinished)
        reframer.push(shortArrayOf(1, 2, 3))
        reframer.finish()
        assertTrue(reframer.isProducerDone)
        assertFalse(reframer.isFinished, "two frames are still to be taken")
        reframer.nextFrame()
        reframer.nextFrame()
        assertTrue(reframer.isFinished)
        assertTrue(reframer.toString().startsWith("ShortReframer("), reframer.toString())

        val decoder = PcmDecoder(SampleEncoding.F32_BE, 2)
        assertEquals(8, decoder.frameBytes)
        assertEquals("F32_BE", decoder.encoding.name)
        assertEquals(listOf("S16_LE", "S16_BE", "F32_LE", "F32_BE"), SampleEncoding.entries.map { it.name })
        decoder.decode(ByteArray(11))
        assertEquals("PcmDecoder(F32_BE, 2 channels, 1 frames, 3 bytes pending)", decoder.toString())
    }
}

package dev.sluice.buffer

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * What only [IntReframer] has to show: every 32-bit value comes back exactly, and codec frames of
 * several codebooks are cut as Hugging Face's `chunked_decode` cuts them. The shared re-framer cases
 * run over it too, through [IntKind].
 */
class IntReframerTest {
    /** HF's chunked_decode over [frames] codec frames: each chunk's [start - context, end), in codec frames. */
    private fun hfSlices(
        frames: Int,
        chunk: Int,
        left: Int,
    ): List<Pair<Int, Int>> {
        val out = mutableListOf<Pair<Int, Int>>()
        var start = 0
        while (start < frames) {
            val end = minOf(start + chunk, frames)
            out += (start - minOf(left, start)) to end
            start = end
        }
        return out
    }

    @Test
    fun codecFramesOfEightCodebooksAreCutAsHuggingFaceCutsThem() {
        val codebooks = 8
        for (round in 0 until 10) {
            val random = Random(round)
            val frames = random.nextInt(1, 2_000)
            val codes = IntArray(frames * codebooks) { random.nextInt() }
            val reframer = IntReframer(LeftContextChunkPolicy(chunk = 300, leftContext = 25), channels = codebooks)
            val got = mutableListOf<IntArray>()
            for (burst in bursts(random, codes.size, 600, unit = codebooks).runningFold(0, Int::plus).zipWithNext()) {
                reframer.push(codes, burst.first, burst.second - burst.first)
                reframer.forEachReady { got += it.toArray() }
            }
            reframer.finish()
            reframer.forEachReady { got += it.toArray() }
            val expected = hfSlices(frames, 300, 25).map { (from, to) -> codes.copyOfRange(from * codebooks, to * codebooks) }
            assertEquals(expected.size, got.size, "round $round: $frames codec frames")
            expected.zip(got).forEachIndexed { i, (e, g) -> assertContentEquals(e, g, "round $round, chunk $i") }
        }
    }

    @Test
    fun everyThirtyTwoBitValueComesBackExactlyThroughCompactionAndGrowth() {
        val random = Random(3)
        val extremes = intArrayOf(Int.MIN_VALUE, Int.MAX_VALUE, -1, 0, 1 shl 24, (1 shl 24) + 1)
        val values = IntArray(50_000) { if (it < extremes.size) extremes[it] else random.nextInt() }
        val reframer = IntReframer(SlidingWindowChunkPolicy(window = 700, stride = 300))
        val seen = mutableListOf<Int>()
        var at = 0
        for (burst in bursts(random, values.size, 5_000)) {
            reframer.push(values, at, burst)
            at += burst
            reframer.forEachReady { f -> for (i in f.newOffset until f.newOffset + f.newLength) seen += f.array[i] }
        }
        reframer.finish()
        reframer.forEachReady { f -> for (i in f.newOffset until f.newOffset + f.newLength) seen += f.array[i] }
        assertContentEquals(values, seen.toIntArray())
    }

    @Test
    fun aBurstThatSplitsACodecFrameIsRejectedAndNothingChanges() {
        val reframer = IntReframer(FixedChunkPolicy(2), channels = 8)
        reframer.push(IntArray(8) { it })
        val e = assertFailsWith<IllegalArgumentException> { reframer.push(IntArray(12), 0, 12) }
        assertContains(e.message!!, "whole number of sample frames of 8 values")
        assertEquals(1, reframer.pushedFrames)
        reframer.finish(padFinal = true)
        val last = reframer.nextFrame()
        assertTrue(last.isFinal)
        assertEquals(1, last.paddingSize)
        assertContentEquals(IntArray(8) { it } + IntArray(8), last.toArray())
        assertTrue(reframer.toString().startsWith("IntReframer("), reframer.toString())
    }
}

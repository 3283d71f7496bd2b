package dev.sluice.buffer

import dev.sluice.buffer.internal.SlotSegments
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/**
 * Edges that PIT showed no test pinned: the numbers in error messages, the padding of a re-framer
 * whose storage holds an earlier stream, a reset in the middle of a stream, and the rounding of
 * 32-bit floats to shorts.
 */
class EdgeCaseTest {
    @Test
    fun rangeErrorsNameTheRoomThereIs() {
        val buffer = StreamBuffer<Int>(FixedChunkPolicy(2))
        val appendAll = assertFailsWith<IllegalArgumentException> { buffer.appendAll(arrayOf(1, 2, 3, 4, 5), 2, 9) }
        assertContains(appendAll.message!!, "length must be in 0..3 (the items from offset 2), was 9")

        val floats = FloatReframer(FixedChunkPolicy(2))
        val push = assertFailsWith<IllegalArgumentException> { floats.push(FloatArray(5), 2, 4) }
        assertContains(push.message!!, "length must be <= 3 (array size 5 - offset 2), was 4")

        val decoder = PcmDecoder(SampleEncoding.S16_LE)
        for (reframer in listOf<(Int, Int) -> Unit>(
            { o, l -> FloatReframer(FixedChunkPolicy(2)).push(decoder, ByteArray(6), o, l) },
            { o, l -> ShortReframer(FixedChunkPolicy(2)).push(decoder, ByteArray(6), o, l) },
            { o, l -> decoder.decode(ByteArray(6), o, l) },
            { o, l -> decoder.decodeShorts(ByteArray(6), o, l) },
            { o, l -> decoder.decodeInto(ByteArray(6), o, l, FloatArray(64)) },
            { o, l -> decoder.decodeShortsInto(ByteArray(6), o, l, ShortArray(64)) },
        )) {
            val e = assertFailsWith<IllegalArgumentException> { reframer(2, 6) }
            assertContains(e.message!!, "length must be in 0..4 (the bytes from offset 2), was 6")
            val negative = assertFailsWith<IllegalArgumentException> { reframer(0, -2) }
            assertContains(negative.message!!, "length must be in 0..6")
        }
        assertEquals(0, decoder.decodedFrames, "a bad call decodes nothing")
    }

    @Test
    fun aChunkThatIsNotReadySaysHowManyItemsAreAvailable() {
        val buffer = StreamBuffer<Int>(FixedChunkPolicy(3))
        buffer.appendAll(listOf(1, 2, 3, 4, 5))
        buffer.popChunk()
        val e = assertFailsWith<NoSuchElementException> { buffer.popChunk() }
        assertContains(e.message!!, "chunk 1 needs 3 new items, 2 available")
    }

    @Test
    fun retainedCountLeavesOutIdsStillPending() {
        val buffer = StreamBuffer<String>(FixedChunkPolicy(10))
        buffer.preReadRegister("a")
        buffer.preReadRegister("b")
        buffer.preReadRegister("c")
        buffer.put("a", "A")
        assertEquals(1, buffer.retainedCount)
        buffer.put("b", "B")
        assertEquals(2, buffer.retainedCount)
    }

    @Test
    fun paddingIsZeroEvenWhereTheStorageHeldAnEarlierStream() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(3), channels = 2)
            kind.push(reframer, FloatArray(12) { 9f })
            reframer.reset()
            kind.push(reframer, floatArrayOf(1f, 2f))
            reframer.finish(padFinal = true)
            assertEquals(listOf(1f, 2f, 0f, 0f, 0f, 0f), kind.values(reframer.nextFrame()), "$kind")
        }
    }

    @Test
    fun aResetInTheMiddleOfAStreamStartsAtFrameZero() {
        val reframer = ShortReframer(LeftContextChunkPolicy(2, 1))
        reframer.push(shortArrayOf(1, 2, 3, 4, 5))
        assertEquals(0L, reframer.nextFrame().index)
        assertEquals(1L, reframer.nextFrame().index)
        reframer.reset()
        assertFalse(reframer.hasFrame())
        reframer.push(shortArrayOf(7, 8))
        val frame = reframer.nextFrame()
        assertEquals(0L, frame.index)
        assertEquals(0L, frame.startOffset)
        assertEquals(0, frame.contextSize, "no context is carried over a reset")
        assertContentEquals(shortArrayOf(7, 8), frame.toArray())
    }

    @Test
    fun pushingDecodedBytesReturnsTheValuesWritten() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE)
        val shorts = ShortReframer(FixedChunkPolicy(4))
        assertEquals(2, shorts.push(decoder, byteArrayOf(1, 0, 2, 0, 3)))
        assertEquals(1, decoder.pendingBytes)
        assertEquals(1, shorts.push(decoder, byteArrayOf(0)))
        assertEquals(3L, shorts.pushedFrames)
        val floats = FloatReframer(FixedChunkPolicy(4))
        assertEquals(2, floats.push(PcmDecoder(SampleEncoding.S16_BE), byteArrayOf(0, 1, 0, 2)))
    }

    @Test
    fun thirtyTwoBitFloatsRoundToTheNearestShortAndClamp() {
        // 0.75f times 32767 is 24575.25: a bit too many in the low byte would round it up.
        val values = floatArrayOf(0.5f, -0.25f, -1f, 1.5f, -3f, 0f, 1f / 32767f, -0.00002f, 0.99999f, 0.75f, -0.75f)
        val expected = shortArrayOf(16384, -8192, -32767, 32767, -32767, 0, 1, -1, 32767, 24575, -24575)
        for (encoding in listOf(SampleEncoding.F32_LE, SampleEncoding.F32_BE)) {
            val bytes = ByteArray(values.size * 4)
            values.forEachIndexed { i, v ->
                val bits = v.toRawBits()
                for (b in 0 until 4) {
                    val shift = if (encoding.bigEndian) 24 - 8 * b else 8 * b
                    bytes[i * 4 + b] = (bits ushr shift).toByte()
                }
            }
            assertContentEquals(expected, PcmDecoder(encoding).decodeShorts(bytes), "$encoding")
            assertContentEquals(values, PcmDecoder(encoding).decode(bytes), "$encoding")
        }
    }

    @Test
    fun anEmptyRangeIsFineAnywhereInTheArray() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE)
        assertEquals(0, decoder.decode(ByteArray(6), 6, 0).size)
        assertEquals(0, decoder.decode(ByteArray(6), 0, 0).size)
        assertEquals(0, decoder.decodeShorts(ByteArray(6), 6).size)
        assertEquals(0, FloatReframer(FixedChunkPolicy(1)).push(decoder, ByteArray(6), 6, 0))
        assertEquals(0, ShortReframer(FixedChunkPolicy(1)).push(decoder, ByteArray(6), 6, 0))
        val buffer = StreamBuffer<Int>(FixedChunkPolicy(1))
        buffer.appendAll(arrayOf(1, 2), 2, 0)
        assertEquals(0, buffer.retainedCount)
    }

    @Test
    fun aRingRefusesMoreThanItsLimitAndKeepsWhatItHeld() {
        val ring = SlotSegments(maxCapacity = 32)
        ring.addAll(arrayOfNulls<Any?>(30), 0, 30)
        ring.addAll(arrayOf<Any?>(1, 2), 0, 2) // exactly at the limit
        val e = assertFailsWith<IllegalArgumentException> { ring.addAll(listOf<Any?>(3)) }
        assertEquals("cannot hold 33 slots (at most 32)", e.message)
        // One slot at a time is refused at the limit too (it used to grow past it).
        val single = assertFailsWith<IllegalArgumentException> { ring.add(3) }
        assertEquals("cannot hold 33 slots (at most 32)", single.message)
        assertEquals(32, ring.size)
        assertEquals(2, ring[31])
        // A block from an offset inside its array: refused over the limit, taken when it fits.
        assertFailsWith<IllegalArgumentException> { ring.addAll(arrayOf<Any?>(7, 8, 9), 1, 2) }
        val partial = SlotSegments(maxCapacity = 32)
        partial.addAll(arrayOfNulls<Any?>(30), 0, 30)
        partial.addAll(arrayOf<Any?>(0, 1, 2, 3, 4, 5, 6, 7), 5, 7)
        assertEquals(32, partial.size)
        assertEquals(6, partial[31])
        val range = assertFailsWith<IndexOutOfBoundsException> { partial.view<Any?>(30, 3) }
        assertEquals("slots [30, 33) outside [0, 32)", range.message)
    }

    @Test
    fun aFinalFrameMuchLongerThanTheStorageIsPaddedWithZeros() {
        val reframer = ShortReframer(FixedChunkPolicy(100_000))
        reframer.push(shortArrayOf(5))
        reframer.finish(padFinal = true)
        val frame = reframer.nextFrame()
        assertEquals(100_000, frame.length)
        assertEquals(99_999, frame.paddingSize)
        val values = frame.toArray()
        assertEquals(5, values[0].toInt())
        assertTrue((1 until values.size).all { values[it].toInt() == 0 })
    }

    @Test
    fun aDecoderSaysWhenItIsFinished() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE)
        assertFalse(decoder.isFinished)
        decoder.finish()
        assertTrue(decoder.isFinished)
        decoder.reset()
        assertFalse(decoder.isFinished)
    }

    @Test
    fun aCarryCompletedByTheNextChunkIsDecodedBeforeTheRestOfIt() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE, channels = 2)
        val out = FloatArray(8) { -9f }
        assertEquals(0, decoder.decodeInto(byteArrayOf(0, 64), 0, 2, out))
        assertEquals(0, decoder.decodeInto(byteArrayOf(0), 0, 1, out))
        // The fourth byte completes the carried frame; the next four make a second frame.
        assertEquals(4, decoder.decodeInto(byteArrayOf(32, 0, 16, 0, -64, 7), 0, 6, out, 1))
        assertContentEquals(floatArrayOf(-9f, 0.5f, 0.25f, 0.125f, -0.5f, -9f, -9f, -9f), out)
        val shorts = ShortArray(4)
        val second = PcmDecoder(SampleEncoding.S16_BE)
        assertEquals(0, second.decodeShortsInto(byteArrayOf(1), 0, 1, shorts))
        assertEquals(2, second.decodeShortsInto(byteArrayOf(2, 3, 4), 0, 3, shorts, 2))
        assertContentEquals(shortArrayOf(0, 0, 0x0102, 0x0304), shorts)
    }
}

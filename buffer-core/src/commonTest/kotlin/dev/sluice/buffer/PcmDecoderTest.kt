package dev.sluice.buffer

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Random splits of a byte stream into chunks of 0 up to [max] bytes. */
private fun splits(
    random: Random,
    total: Int,
    max: Int,
): List<Int> {
    val out = mutableListOf<Int>()
    var left = total
    while (left > 0) {
        val n = minOf(left, random.nextInt(0, max + 1))
        out += n
        left -= n
    }
    return out
}

class PcmDecoderTest {
    @Test
    fun everySplitDecodesToWhatTheWholeStreamDecodesTo() {
        var cases = 0
        for (encoding in SampleEncoding.entries) {
            for (channels in 1..2) {
                repeat(25) { round ->
                    val random = Random(round * 31 + channels)
                    val frameBytes = encoding.bytesPerValue * channels
                    val bytes = random.nextBytes(random.nextInt(0, 400) * frameBytes)
                    val whole = PcmDecoder(encoding, channels).decode(bytes)
                    val wholeShorts = PcmDecoder(encoding, channels).decodeShorts(bytes)

                    val decoder = PcmDecoder(encoding, channels)
                    val shortDecoder = PcmDecoder(encoding, channels)
                    val floats = mutableListOf<Float>()
                    val shorts = mutableListOf<Short>()
                    var at = 0
                    for (n in splits(random, bytes.size, 3 * frameBytes + 1)) {
                        floats += decoder.decode(bytes, at, n).toList()
                        shorts += shortDecoder.decodeShorts(bytes, at, n).toList()
                        at += n
                    }
                    decoder.finish()
                    shortDecoder.finish()
                    val case = "$encoding, $channels channels, round $round"
                    assertEquals(whole.map { it.toRawBits() }, floats.map { it.toRawBits() }, case)
                    assertEquals(wholeShorts.toList(), shorts, case)
                    assertEquals(bytes.size / frameBytes * channels, whole.size, case)
                    assertEquals((bytes.size / frameBytes).toLong(), decoder.decodedFrames, case)
                    cases++
                }
            }
        }
        assertEquals(200, cases)
    }

    @Test
    fun knownValuesInEachEncoding() {
        assertContentEquals(floatArrayOf(0.5f, -1f), PcmDecoder(SampleEncoding.S16_LE).decode(byteArrayOf(0x00, 0x40, 0x00, 0x80.toByte())))
        assertContentEquals(floatArrayOf(0.5f, -1f), PcmDecoder(SampleEncoding.S16_BE).decode(byteArrayOf(0x40, 0x00, 0x80.toByte(), 0x00)))
        assertContentEquals(
            shortArrayOf(16384, -32768),
            PcmDecoder(SampleEncoding.S16_BE).decodeShorts(byteArrayOf(0x40, 0x00, 0x80.toByte(), 0x00)),
        )
        // 0.25f is 0x3E800000.
        assertContentEquals(floatArrayOf(0.25f), PcmDecoder(SampleEncoding.F32_BE).decode(byteArrayOf(0x3E, 0x80.toByte(), 0, 0)))
        assertContentEquals(floatArrayOf(0.25f), PcmDecoder(SampleEncoding.F32_LE).decode(byteArrayOf(0, 0, 0x80.toByte(), 0x3E)))
        assertContentEquals(shortArrayOf(8192), PcmDecoder(SampleEncoding.F32_LE).decodeShorts(byteArrayOf(0, 0, 0x80.toByte(), 0x3E)))
    }

    @Test
    fun anOddChunkCarriesHalfASampleToTheNext() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE, channels = 2)
        assertEquals(0, decoder.decode(byteArrayOf(1, 2, 3)).size)
        assertEquals(3, decoder.pendingBytes)
        assertContentEquals(shortArrayOf(0x0201, 0x0403), PcmDecoder(SampleEncoding.S16_LE, 2).decodeShorts(byteArrayOf(1, 2, 3, 4)))
        assertEquals(2, decoder.decode(byteArrayOf(4, 5)).size)
        assertEquals(1, decoder.pendingBytes)
    }

    @Test
    fun badInputFailsCleanlyAndChangesNothing() {
        val cases: List<Triple<String, String, (PcmDecoder) -> Unit>> =
            listOf(
                Triple("a negative offset", "offset must be in 0..4, was -1", { it.decode(ByteArray(4), -1, 2) }),
                Triple("an offset past the end", "offset must be in 0..4, was 5", { it.decode(ByteArray(4), 5, 0) }),
                Triple("a negative length", "length must be in 0..4 (the bytes from offset 0), was -2", { it.decode(ByteArray(4), 0, -2) }),
                Triple(
                    "a range past the end",
                    "length must be in 0..1 (the bytes from offset 3), was 2",
                    { it.decode(ByteArray(4), 3, 2) },
                ),
                Triple("no room in the output", "the output has room for 1 values from offset 1, 2 needed", {
                    it.decodeInto(ByteArray(4), 0, 4, FloatArray(2), 1)
                }),
            )
        for ((name, message, act) in cases) {
            val decoder = PcmDecoder(SampleEncoding.S16_LE)
            decoder.decode(byteArrayOf(7))
            val error = assertFailsWith<IllegalArgumentException>(name) { act(decoder) }
            assertEquals(message, error.message, name)
            assertEquals(1, decoder.pendingBytes, name)
            assertEquals(0L, decoder.decodedFrames, name)
            assertContentEquals(shortArrayOf(0x0807), decoder.decodeShorts(byteArrayOf(8)), name)
        }
        assertEquals(
            "channels must be >= 1, was 0",
            assertFailsWith<IllegalArgumentException> { PcmDecoder(SampleEncoding.S16_LE, 0) }.message,
        )
    }

    @Test
    fun aTruncatedStreamFailsAtFinishNamingTheBytesLeftOver() {
        val decoder = PcmDecoder(SampleEncoding.F32_LE, channels = 2)
        decoder.decode(ByteArray(13))
        val error = assertFailsWith<IllegalStateException> { decoder.finish() }
        assertEquals(
            "the stream ended inside a sample frame: 5 bytes left over of a 8-byte frame (F32_LE, 2 channels); the source was truncated",
            error.message,
        )
        assertTrue(assertFailsWith<IllegalStateException> { decoder.decode(ByteArray(3)) }.message!!.contains("after finish()"))
        decoder.reset()
        assertEquals(0, decoder.pendingBytes)
        assertEquals(2, decoder.decode(ByteArray(8)).size)
    }

    @Test
    fun decodedFramesFeedAReframerWithoutAllocationPerChunk() {
        val decoder = PcmDecoder(SampleEncoding.S16_LE)
        val reframer = FloatReframer(FixedChunkPolicy(4))
        val scratch = FloatArray(16)
        val bytes = ByteArray(10) { (it * 3).toByte() }
        var frames = 0
        var at = 0
        for (split in listOf(3, 4, 3)) {
            val n = decoder.decodeInto(bytes, at, split, scratch)
            reframer.push(scratch, 0, n)
            reframer.forEachReady { frames++ }
            at += split
        }
        reframer.finish()
        reframer.forEachReady { frames++ }
        assertEquals(2, frames) // 5 values: a frame of 4, then a final frame of 1
    }

    @Test
    fun decodingStraightIntoAReframerGivesTheFramesOfDecodeThenPush() {
        for (encoding in SampleEncoding.entries) {
            for (channels in 1..2) {
                val random = Random(channels * 7 + encoding.bytesPerValue)
                val frameBytes = encoding.bytesPerValue * channels
                val bytes = random.nextBytes(random.nextInt(100, 900) * frameBytes)
                val policy = LeftContextChunkPolicy(37, 5)

                // The reference: decode the whole stream, then push it in one go.
                val floatRef = FloatReframer(policy, channels).apply { push(PcmDecoder(encoding, channels).decode(bytes)) }
                val shortRef = ShortReframer(policy, channels).apply { push(PcmDecoder(encoding, channels).decodeShorts(bytes)) }
                val floats = FloatReframer(policy, channels)
                val shorts = ShortReframer(policy, channels)
                val floatDecoder = PcmDecoder(encoding, channels)
                val shortDecoder = PcmDecoder(encoding, channels)
                val floatFrames = mutableListOf<List<Float>>()
                val shortFrames = mutableListOf<List<Short>>()
                var at = 0
                var added = 0
                for (n in splits(random, bytes.size, 97)) {
                    added += floats.push(floatDecoder, bytes, at, n)
                    shorts.push(shortDecoder, bytes, at, n)
                    floats.forEachReady { floatFrames += it.toArray().toList() }
                    shorts.forEachReady { shortFrames += it.toArray().toList() }
                    at += n
                }
                floatDecoder.finish()
                assertEquals(bytes.size / encoding.bytesPerValue, added)
                for (r in listOf(floats, shorts, floatRef, shortRef)) r.finish()
                floats.forEachReady { floatFrames += it.toArray().toList() }
                shorts.forEachReady { shortFrames += it.toArray().toList() }
                val floatExpected = mutableListOf<List<Float>>().also { out -> floatRef.forEachReady { out += it.toArray().toList() } }
                val shortExpected = mutableListOf<List<Short>>().also { out -> shortRef.forEachReady { out += it.toArray().toList() } }
                assertEquals(floatExpected, floatFrames, "$encoding x$channels floats")
                assertEquals(shortExpected, shortFrames, "$encoding x$channels shorts")
            }
        }
    }

    @Test
    fun aBadPushIntoAReframerChangesNothing() {
        val reframer = FloatReframer(FixedChunkPolicy(4), 2)
        val decoder = PcmDecoder(SampleEncoding.S16_LE, 2)
        val bytes = ByteArray(10)
        assertFailsWith<IllegalArgumentException> { reframer.push(PcmDecoder(SampleEncoding.S16_LE, 1), bytes) }
        assertFailsWith<IllegalArgumentException> { reframer.push(decoder, bytes, 4, 7) }
        assertFailsWith<IllegalArgumentException> { reframer.push(decoder, bytes, -1, 2) }
        assertEquals(0, decoder.pendingBytes)
        assertEquals(0L, reframer.pushedFrames)
        assertEquals(4, reframer.push(decoder, bytes, 0, 10)) // 4 values: 2 frames of 4 bytes; 2 bytes carried
        assertEquals(2, decoder.pendingBytes)
        decoder.reset()
        decoder.finish()
        assertFailsWith<IllegalStateException> { reframer.push(decoder, bytes) }
        reframer.finish()
        assertFailsWith<IllegalStateException> { reframer.push(PcmDecoder(SampleEncoding.S16_LE, 2), bytes) }
        assertEquals(2L, reframer.pushedFrames)
    }
}

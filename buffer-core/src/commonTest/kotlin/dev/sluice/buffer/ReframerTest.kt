package dev.sluice.buffer

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The re-framer burst cases, run over [FloatReframer], [ShortReframer] and [IntReframer]. */
class ReframerTest {
    @Test
    fun randomBurstsGiveTheSameFramesAsFramingTheWholeArrayAtOnce() {
        for (kind in pcmKinds) {
            for (policy in listOf(FixedChunkPolicy(480), SlidingWindowChunkPolicy(400, 160), LeftContextChunkPolicy(480, 100))) {
                repeat(20) { round ->
                    val random = Random(round)
                    val signal = pcmSignal(random, random.nextInt(0, 20_000))
                    val whole = kind.frames(policy, signal, listOf(signal.size))
                    assertEquals(whole, kind.frames(policy, signal, bursts(random, signal.size, 5000)), "$kind, $policy, round $round")
                }
            }
        }
    }

    @Test
    fun framesCarryTheSameSamplesAsStreamBufferChunksOfTheSameStream() {
        for (kind in pcmKinds) {
            val random = Random(7)
            val policy = RampChunkPolicy(listOf(100, 250, 480), leftContext = 60)
            val signal = pcmSignal(random, 5_123)
            val got = kind.frames(policy, signal, bursts(random, signal.size, 900))
            val buffer = StreamBuffer<Float>("r", "e", 0, policy)
            val expected = mutableListOf<Copied>()
            for (v in signal) {
                buffer.append(v)
                buffer.forEachReady { c -> expected += Copied(c.items, c.index, c.startOffset, c.contextSize, 0, c.isFinal) }
            }
            buffer.signalDone()
            buffer.forEachReady { c -> expected += Copied(c.items, c.index, c.startOffset, c.contextSize, 0, c.isFinal) }
            assertEquals(expected, got, "$kind")
        }
    }

    @Test
    fun burstsIntoFixed64YieldFramesAfterTheFourthAndFifthPushesOnly() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(64))
            val perPush =
                listOf(7, 50, 1, 40, 180, 3).map { n ->
                    kind.push(reframer, FloatArray(n) { 1f })
                    val lengths = mutableListOf<Int>()
                    while (reframer.hasFrame()) lengths += reframer.nextFrame().length
                    lengths
                }
            assertEquals(listOf(emptyList(), emptyList(), emptyList(), listOf(64), listOf(64, 64, 64), emptyList()), perPush, "$kind")
            assertEquals(25, reframer.pushedFrames - 4 * 64)
            reframer.finish()
            val last = reframer.nextFrame()
            assertEquals(25 to true, last.length to last.isFinal)
            assertEquals(256L, last.startOffset)
            assertFalse(reframer.hasFrame())
        }
    }

    @Test
    fun anExactMultipleEndsWithAnEmptyFinalFrame() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(4))
            kind.push(reframer, FloatArray(8))
            assertFalse(reframer.nextFrame().isFinal)
            assertFalse(reframer.nextFrame().isFinal)
            assertFalse(reframer.hasFrame())
            reframer.finish()
            val marker = reframer.nextFrame()
            assertEquals(0 to true, marker.length to marker.isFinal, "$kind")
            assertEquals(8L, marker.startOffset)
        }
    }

    @Test
    fun twoChannelsThePolicyCountsSampleFramesOfTwoInterleavedValues() {
        for (kind in pcmKinds) {
            val random = Random(3)
            val signal = pcmSignal(random, 2 * 1000)
            val split = bursts(random, signal.size, 700, unit = 2)
            val got = kind.frames(SlidingWindowChunkPolicy(400, 160), signal, split, channels = 2)
            assertEquals(800, got.first().values.size, "$kind")
            assertEquals(160L, got[1].startOffset)
            assertEquals(240, got[1].contextSize)
            assertEquals(signal.toList().subList(320, 1120), got[1].values)
            assertEquals(signal.toList(), got.flatMap { it.values.drop(2 * it.contextSize) })
        }
    }

    @Test
    fun twoChannelsALengthThatIsNotWholeSampleFramesFailsAndChangesNothing() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(2), channels = 2)
            kind.push(reframer, floatArrayOf(1f, 2f))
            val error = assertFailsWith<IllegalArgumentException> { kind.push(reframer, floatArrayOf(3f, 4f, 5f)) }
            assertContains(error.message.orEmpty(), "whole number of sample frames of 2 values, was 3")
            assertEquals(1, reframer.pushedFrames)
            kind.push(reframer, floatArrayOf(3f, 4f))
            assertEquals(listOf(1f, 2f, 3f, 4f), kind.values(reframer.nextFrame()), "$kind")
        }
    }

    @Test
    fun padFinalPadsTheFinalFrameWithZerosToTheFullLength() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(LeftContextChunkPolicy(4, 2))
            kind.push(reframer, floatArrayOf(1f, 2f, 3f, 4f, 5f))
            reframer.nextFrame()
            reframer.finish(padFinal = true)
            val last = reframer.nextFrame()
            assertEquals(listOf(3f, 4f, 5f, 0f, 0f, 0f), kind.values(last), "$kind")
            assertEquals(2 to 3, last.contextSize to last.paddingSize)
            assertEquals(1, last.newLength)
            assertTrue(last.isFinal)
        }
    }

    @Test
    fun paddingLargerThanTheStorageGrowsItForEveryChannel() {
        // 2 sample frames pushed, 600 due: the 598 frames of padding (1196 values of 2 channels)
        // do not fit in the initial storage, which must grow by frames times channels.
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(600), channels = 2)
            kind.push(reframer, floatArrayOf(1f, 2f, 3f, 4f))
            reframer.finish(padFinal = true)
            val last = reframer.nextFrame()
            assertEquals(listOf(1f, 2f, 3f, 4f) + List(1196) { 0f }, kind.values(last), "$kind")
            assertEquals(598, last.paddingSize)
            assertTrue(last.isFinal)
        }
    }

    @Test
    fun continueAfterDoneTheRemainderIsNotFinalThenEveryFrameIsEmpty() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(4, continueAfterDone = true))
            kind.push(reframer, FloatArray(6) { it.toFloat() })
            assertEquals(4, reframer.nextFrame().length)
            reframer.finish()
            val rest = reframer.nextFrame()
            assertEquals(listOf(4f, 5f) to false, kind.values(rest) to rest.isFinal, "$kind")
            repeat(3) {
                assertTrue(reframer.hasFrame())
                val empty = reframer.nextFrame()
                assertEquals(0 to false, empty.length to empty.isFinal)
                assertEquals(6L, empty.startOffset)
            }
        }
    }

    @Test
    fun resetDiscardsEverythingAndStartsANewStream() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(3))
            kind.push(reframer, floatArrayOf(1f, 2f, 3f, 4f))
            reframer.finish()
            reframer.reset()
            assertFalse(reframer.isProducerDone)
            assertFalse(reframer.isFinished)
            assertFalse(reframer.hasFrame())
            assertEquals(0, reframer.pushedFrames)
            kind.push(reframer, floatArrayOf(7f, 8f, 9f))
            val f = reframer.nextFrame()
            assertEquals(listOf(7f, 8f, 9f) to 0L, kind.values(f) to f.index, "$kind")
            assertEquals(0L, f.startOffset)
        }
    }

    @Test
    fun badRangesFailCleanlyAndChangeNothing() {
        for (kind in pcmKinds) {
            val cases: List<Pair<String, (PcmReframer<*>) -> Unit>> =
                listOf(
                    "negative offset" to { kind.push(it, FloatArray(4), -1, 2) },
                    "negative length" to { kind.push(it, FloatArray(4), 0, -2) },
                    "range outside the array" to { kind.push(it, FloatArray(4), 3, 2) },
                    "offset past the end" to { kind.push(it, FloatArray(4), 5, 0) },
                )
            for ((name, act) in cases) {
                val reframer = kind.reframer(FixedChunkPolicy(2))
                kind.push(reframer, floatArrayOf(1f))
                assertFailsWith<IllegalArgumentException>("$kind: $name") { act(reframer) }
                assertEquals(1, reframer.pushedFrames, "$kind: $name")
                kind.push(reframer, floatArrayOf(2f))
                assertEquals(listOf(1f, 2f), kind.values(reframer.nextFrame()), "$kind: $name")
            }
        }
    }

    @Test
    fun aPushAfterFinishIsAnIllegalStateException() {
        for (kind in pcmKinds) {
            val reframer = kind.reframer(FixedChunkPolicy(2))
            kind.push(reframer, floatArrayOf(1f))
            reframer.finish()
            assertContains(
                assertFailsWith<IllegalStateException> { kind.push(reframer, floatArrayOf(2f)) }.message.orEmpty(),
                "after finish()",
            )
            assertEquals(listOf(1f), kind.values(reframer.nextFrame()), "$kind")
        }
    }

    @Test
    fun nextFrameWithNoFrameReadyIsANoSuchElementException() {
        for (kind in pcmKinds) {
            assertFailsWith<NoSuchElementException>("$kind") { kind.reframer(FixedChunkPolicy(2)).nextFrame() }
        }
    }

    @Test
    fun channelsBelowOneAreRejected() {
        for (kind in pcmKinds) {
            assertEquals(
                "channels must be >= 1, was 0",
                assertFailsWith<IllegalArgumentException> { kind.reframer(FixedChunkPolicy(2), 0) }.message,
            )
        }
    }
}

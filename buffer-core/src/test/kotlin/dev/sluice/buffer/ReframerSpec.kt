package dev.sluice.buffer

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.lang.management.ManagementFactory
import kotlin.random.Random

/** A frame copied out of its view, comparable by value. */
data class Copied(
    val values: List<Float>,
    val index: Int,
    val startFrame: Long,
    val contextLength: Int,
    val paddingLength: Int,
    val isFinal: Boolean,
)

fun FloatFrame.copied() = Copied(toArray().toList(), index, startFrame, contextLength, paddingLength, isFinal)

fun FloatReframer.drainTo(out: MutableList<Copied>) {
    while (hasFrame()) out += nextFrame().copied()
}

/** Frames [signal] pushed in [bursts] (value counts), popping after every push, then finishes. */
fun frames(
    policy: ChunkPolicy,
    signal: FloatArray,
    bursts: List<Int>,
    channels: Int = 1,
    padFinal: Boolean = false,
): List<Copied> {
    val reframer = FloatReframer(policy, channels)
    val out = mutableListOf<Copied>()
    var at = 0
    for (b in bursts) {
        reframer.push(signal, at, b)
        at += b
        reframer.drainTo(out)
    }
    check(at == signal.size)
    reframer.finish(padFinal)
    reframer.drainTo(out)
    return out
}

fun bursts(
    random: Random,
    total: Int,
    max: Int,
    unit: Int = 1,
): List<Int> {
    val out = mutableListOf<Int>()
    var left = total / unit
    while (left > 0) {
        val b = minOf(left, random.nextInt(0, max / unit + 1))
        out += b * unit
        left -= b
    }
    return out
}

private fun threadAllocatedBytes(): Long {
    val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    return bean.getThreadAllocatedBytes(Thread.currentThread().id)
}

class ReframerSpec :
    FunSpec({
        context("random bursts give the same frames as framing the whole array at once") {
            withData(
                nameFn = { it.toString() },
                FixedChunkPolicy(480),
                SlidingWindowChunkPolicy(400, 160),
                LeftContextChunkPolicy(480, 100),
            ) { policy ->
                repeat(20) { round ->
                    val random = Random(round)
                    val signal = FloatArray(random.nextInt(0, 20_000)) { random.nextFloat() }
                    val whole = frames(policy, signal, listOf(signal.size))
                    frames(policy, signal, bursts(random, signal.size, 5000)) shouldBe whole
                }
            }
        }

        test("frames carry the same samples as StreamBuffer chunks of the same stream") {
            val random = Random(7)
            val policy = RampChunkPolicy(listOf(100, 250, 480), leftContext = 60)
            val signal = FloatArray(5_123) { random.nextFloat() }
            val got = frames(policy, signal, bursts(random, signal.size, 900))
            val buffer = StreamBuffer<Float>("r", "e", 0, policy)
            val expected = mutableListOf<Copied>()
            for (v in signal) {
                buffer.append(v)
                while (buffer.hasChunkReady()) {
                    val c = buffer.popChunk()
                    expected += Copied(c.items, c.chunkIndex, c.startOffset, c.contextSize, 0, c.isFinal)
                }
            }
            buffer.signalDone()
            while (buffer.hasChunkReady()) {
                val c = buffer.popChunk()
                expected += Copied(c.items, c.chunkIndex, c.startOffset, c.contextSize, 0, c.isFinal)
            }
            got shouldBe expected
        }

        test("bursts [7, 50, 1, 40, 180, 3] into FixedChunkPolicy(64) yield frames after the 4th and 5th pushes only") {
            val reframer = FloatReframer(FixedChunkPolicy(64))
            val perPush =
                listOf(7, 50, 1, 40, 180, 3).map { n ->
                    reframer.push(FloatArray(n) { 1f })
                    val lengths = mutableListOf<Int>()
                    while (reframer.hasFrame()) lengths += reframer.nextFrame().length
                    lengths
                }
            perPush shouldBe listOf(emptyList(), emptyList(), emptyList(), listOf(64), listOf(64, 64, 64), emptyList())
            reframer.pushedFrames - 4 * 64 shouldBe 25
            reframer.finish()
            val last = reframer.nextFrame()
            (last.length to last.isFinal) shouldBe (25 to true)
            last.startFrame shouldBe 256
            reframer.hasFrame() shouldBe false
        }

        test("an exact multiple ends with an empty final frame, so the consumer learns the end") {
            val reframer = FloatReframer(FixedChunkPolicy(4))
            reframer.push(FloatArray(8))
            reframer.nextFrame().isFinal shouldBe false
            reframer.nextFrame().isFinal shouldBe false
            reframer.hasFrame() shouldBe false
            reframer.finish()
            val marker = reframer.nextFrame()
            (marker.length to marker.isFinal) shouldBe (0 to true)
            marker.startFrame shouldBe 2 * 4
        }

        context("channels = 2") {
            test("the policy counts sample frames of two interleaved values") {
                val random = Random(3)
                val signal = FloatArray(2 * 1000) { random.nextFloat() }
                val got = frames(SlidingWindowChunkPolicy(400, 160), signal, bursts(random, signal.size, 700, unit = 2), channels = 2)
                got.first().values.size shouldBe 800
                got[1].startFrame shouldBe 160
                got[1].contextLength shouldBe 2 * 240
                got[1].values shouldBe signal.toList().subList(320, 1120)
                got.flatMap { it.values.drop(it.contextLength) } shouldBe signal.toList()
            }

            test("a length that is not a whole number of sample frames fails and changes nothing") {
                val reframer = FloatReframer(FixedChunkPolicy(2), channels = 2)
                reframer.push(floatArrayOf(1f, 2f))
                shouldThrow<IllegalArgumentException> { reframer.push(floatArrayOf(3f, 4f, 5f)) }.message shouldContain
                    "whole number of sample frames of 2 values, was 3"
                reframer.pushedFrames shouldBe 1
                reframer.push(floatArrayOf(3f, 4f))
                reframer.nextFrame().toArray().toList() shouldBe listOf(1f, 2f, 3f, 4f)
            }
        }

        test("finish(padFinal = true) pads the final frame with zeros to the full length") {
            val reframer = FloatReframer(LeftContextChunkPolicy(4, 2))
            reframer.push(floatArrayOf(1f, 2f, 3f, 4f, 5f))
            reframer.nextFrame()
            reframer.finish(padFinal = true)
            val last = reframer.nextFrame()
            last.toArray().toList() shouldBe listOf(3f, 4f, 5f, 0f, 0f, 0f)
            (last.contextLength to last.paddingLength) shouldBe (2 to 3)
            last.newLength shouldBe 1
            last.isFinal shouldBe true
        }

        test("continueAfterDone: the remainder is not final, then every frame is empty and not final") {
            val reframer = FloatReframer(FixedChunkPolicy(4, continueAfterDone = true))
            reframer.push(FloatArray(6) { it.toFloat() })
            reframer.nextFrame().length shouldBe 4
            reframer.finish()
            val rest = reframer.nextFrame()
            (rest.toArray().toList() to rest.isFinal) shouldBe (listOf(4f, 5f) to false)
            repeat(3) {
                reframer.hasFrame() shouldBe true
                val empty = reframer.nextFrame()
                (empty.length to empty.isFinal) shouldBe (0 to false)
                empty.startFrame shouldBe 6
            }
        }

        test("reset() discards everything and starts a new stream") {
            val reframer = FloatReframer(FixedChunkPolicy(3))
            reframer.push(floatArrayOf(1f, 2f, 3f, 4f))
            reframer.finish()
            reframer.reset()
            reframer.isFinished shouldBe false
            reframer.hasFrame() shouldBe false
            reframer.pushedFrames shouldBe 0
            reframer.push(floatArrayOf(7f, 8f, 9f))
            val f = reframer.nextFrame()
            (f.toArray().toList() to f.index) shouldBe (listOf(7f, 8f, 9f) to 0)
            f.startFrame shouldBe 0
        }

        context("bad input fails cleanly and changes nothing") {
            withData<Pair<String, (FloatReframer) -> Unit>>(
                nameFn = { it.first },
                "negative offset" to { it.push(FloatArray(4), -1, 2) },
                "negative length" to { it.push(FloatArray(4), 0, -2) },
                "range outside the array" to { it.push(FloatArray(4), 3, 2) },
                "offset past the end" to { it.push(FloatArray(4), 5, 0) },
            ) { (_, act) ->
                val reframer = FloatReframer(FixedChunkPolicy(2))
                reframer.push(floatArrayOf(1f))
                shouldThrow<IllegalArgumentException> { act(reframer) }
                reframer.pushedFrames shouldBe 1
                reframer.push(floatArrayOf(2f))
                reframer.nextFrame().toArray().toList() shouldBe listOf(1f, 2f)
            }

            test("a push after finish() is an IllegalStateException") {
                val reframer = FloatReframer(FixedChunkPolicy(2))
                reframer.push(floatArrayOf(1f))
                reframer.finish()
                shouldThrow<IllegalStateException> { reframer.push(floatArrayOf(2f)) }.message shouldContain "after finish()"
                reframer.nextFrame().toArray().toList() shouldBe listOf(1f)
            }

            test("nextFrame() with no frame ready is a NoSuchElementException") {
                shouldThrow<NoSuchElementException> { FloatReframer(FixedChunkPolicy(2)).nextFrame() }
            }

            test("channels < 1 is rejected") {
                shouldThrow<IllegalArgumentException> { FloatReframer(FixedChunkPolicy(2), 0) }.message shouldBe
                    "channels must be >= 1, was 0"
            }
        }

        test("ShortReframer frames 16-bit PCM the same way") {
            val random = Random(11)
            val signal = ShortArray(3_000) { random.nextInt(-32768, 32768).toShort() }
            val reframer = ShortReframer(SlidingWindowChunkPolicy(400, 160))
            val got = mutableListOf<List<Short>>()
            var at = 0
            for (b in bursts(random, signal.size, 500)) {
                reframer.push(signal, at, b)
                at += b
                while (reframer.hasFrame()) got += reframer.nextFrame().toArray().toList()
            }
            reframer.finish(padFinal = true)
            val last = reframer.nextFrame()
            val windows = (0 until signal.size - 400 + 1 step 160).map { signal.toList().subList(it, it + 400) }
            got shouldBe windows
            last.isFinal shouldBe true
            last.length shouldBe 400
            last
                .toArray()
                .toList()
                .takeLast(last.paddingLength)
                .all { it == 0.toShort() } shouldBe true
        }

        test("in steady state nothing is allocated per push or per frame") {
            val random = Random(5)
            val bursts = IntArray(4096) { random.nextInt(1, 4097) }
            val source = FloatArray(4096) { it.toFloat() }
            val reframer = FloatReframer(FixedChunkPolicy(480))
            var sink = 0f

            fun run(rounds: Int) {
                repeat(rounds) {
                    for (b in bursts) {
                        reframer.push(source, 0, b)
                        while (reframer.hasFrame()) {
                            val f = reframer.nextFrame()
                            sink += f.array[f.offset]
                        }
                    }
                }
            }
            reframer.push(source) // the largest burst: the storage reaches its size
            while (reframer.hasFrame()) reframer.nextFrame()
            run(2) // warm up the JIT
            val storage = reframer.nextFrameOrNullArray()
            val before = threadAllocatedBytes()
            run(3)
            val allocated = threadAllocatedBytes() - before
            // 3 * 4096 pushes and about 52,000 frames: far less than one object per 10 operations.
            check(allocated < 4096) { "allocated $allocated bytes in steady state" }
            reframer.nextFrameOrNullArray() shouldBe storage
            check(storage.size <= 4096 + 2 * 480) { "storage grew to ${storage.size}" }
            sink shouldBe sink
        }
    })

/** The storage array, seen through a frame view (the re-framer never exposes it otherwise). */
private fun FloatReframer.nextFrameOrNullArray(): FloatArray {
    push(FloatArray(0))
    if (!hasFrame()) push(FloatArray(480))
    return nextFrame().array
}

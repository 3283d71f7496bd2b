package dev.sluice.buffer

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.lang.management.ManagementFactory
import kotlin.random.Random

/**
 * One sample type of re-framer, so that every test below runs over both [FloatReframer] and
 * [ShortReframer]. Test signals hold whole numbers in the 16-bit range, exact in both types.
 */
abstract class PcmKind(
    val name: String,
) {
    abstract fun reframer(
        policy: ChunkPolicy,
        channels: Int = 1,
    ): PcmReframer<*>

    abstract fun push(
        reframer: PcmReframer<*>,
        values: FloatArray,
        offset: Int = 0,
        length: Int = values.size - offset,
    )

    /** The frame's values, context and padding included, as floats. */
    abstract fun values(frame: PcmFrame): List<Float>

    /** The re-framer's storage, seen through [frame]. */
    abstract fun storageOf(frame: PcmFrame): Any

    override fun toString() = name
}

object FloatKind : PcmKind("FloatReframer") {
    override fun reframer(
        policy: ChunkPolicy,
        channels: Int,
    ) = FloatReframer(policy, channels)

    override fun push(
        reframer: PcmReframer<*>,
        values: FloatArray,
        offset: Int,
        length: Int,
    ) = (reframer as FloatReframer).push(values, offset, length)

    override fun values(frame: PcmFrame) = (frame as FloatFrame).toArray().toList()

    override fun storageOf(frame: PcmFrame): Any = (frame as FloatFrame).array
}

object ShortKind : PcmKind("ShortReframer") {
    private val converted = HashMap<FloatArray, ShortArray>()

    override fun reframer(
        policy: ChunkPolicy,
        channels: Int,
    ) = ShortReframer(policy, channels)

    override fun push(
        reframer: PcmReframer<*>,
        values: FloatArray,
        offset: Int,
        length: Int,
    ) {
        // Convert once per source array, so that the allocation test measures the re-framer only.
        val shorts = converted.getOrPut(values) { ShortArray(values.size) { values[it].toInt().toShort() } }
        (reframer as ShortReframer).push(shorts, offset, length)
    }

    override fun values(frame: PcmFrame) = (frame as ShortFrame).toArray().map { it.toFloat() }

    override fun storageOf(frame: PcmFrame): Any = (frame as ShortFrame).array
}

val pcmKinds = listOf(FloatKind, ShortKind)

/** A frame copied out of its view, comparable by value. */
data class Copied(
    val values: List<Float>,
    val index: Long,
    val startOffset: Long,
    val contextSize: Int,
    val paddingSize: Int,
    val isFinal: Boolean,
)

fun PcmKind.copied(f: PcmFrame) = Copied(values(f), f.index, f.startOffset, f.contextSize, f.paddingSize, f.isFinal)

fun PcmKind.drainTo(
    reframer: PcmReframer<*>,
    out: MutableList<Copied>,
) {
    reframer.forEachReady { out += copied(it) }
}

/** Frames [signal] pushed in [bursts] (value counts), taking frames after every push, then finishes. */
fun PcmKind.frames(
    policy: ChunkPolicy,
    signal: FloatArray,
    bursts: List<Int>,
    channels: Int = 1,
    padFinal: Boolean = false,
): List<Copied> {
    val reframer = reframer(policy, channels)
    val out = mutableListOf<Copied>()
    var at = 0
    for (b in bursts) {
        push(reframer, signal, at, b)
        at += b
        drainTo(reframer, out)
    }
    check(at == signal.size)
    reframer.finish(padFinal)
    drainTo(reframer, out)
    return out
}

/** A signal of whole numbers in the 16-bit range: exact as floats and as shorts. */
fun pcmSignal(
    random: Random,
    size: Int,
) = FloatArray(size) { random.nextInt(-32768, 32768).toFloat() }

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
        for (kind in pcmKinds) {
            context(kind.name) {
                context("random bursts give the same frames as framing the whole array at once") {
                    withData(
                        nameFn = { it.toString() },
                        FixedChunkPolicy(480),
                        SlidingWindowChunkPolicy(400, 160),
                        LeftContextChunkPolicy(480, 100),
                    ) { policy ->
                        repeat(20) { round ->
                            val random = Random(round)
                            val signal = pcmSignal(random, random.nextInt(0, 20_000))
                            val whole = kind.frames(policy, signal, listOf(signal.size))
                            kind.frames(policy, signal, bursts(random, signal.size, 5000)) shouldBe whole
                        }
                    }
                }

                test("frames carry the same samples as StreamBuffer chunks of the same stream") {
                    val random = Random(7)
                    val policy = RampChunkPolicy(listOf(100, 250, 480), leftContext = 60)
                    val signal = pcmSignal(random, 5_123)
                    val got = kind.frames(policy, signal, bursts(random, signal.size, 900))
                    val buffer = StreamBuffer<Float>("r", "e", 0, policy)
                    val expected = mutableListOf<Copied>()
                    for (v in signal) {
                        buffer.append(v)
                        while (buffer.hasChunkReady()) {
                            val c = buffer.popChunk()
                            expected += Copied(c.items, c.index, c.startOffset, c.contextSize, 0, c.isFinal)
                        }
                    }
                    buffer.signalDone()
                    while (buffer.hasChunkReady()) {
                        val c = buffer.popChunk()
                        expected += Copied(c.items, c.index, c.startOffset, c.contextSize, 0, c.isFinal)
                    }
                    got shouldBe expected
                }

                test("bursts [7, 50, 1, 40, 180, 3] into FixedChunkPolicy(64) yield frames after the 4th and 5th pushes only") {
                    val reframer = kind.reframer(FixedChunkPolicy(64))
                    val perPush =
                        listOf(7, 50, 1, 40, 180, 3).map { n ->
                            kind.push(reframer, FloatArray(n) { 1f })
                            val lengths = mutableListOf<Int>()
                            while (reframer.hasFrame()) lengths += reframer.nextFrame().length
                            lengths
                        }
                    perPush shouldBe listOf(emptyList(), emptyList(), emptyList(), listOf(64), listOf(64, 64, 64), emptyList())
                    reframer.pushedFrames - 4 * 64 shouldBe 25
                    reframer.finish()
                    val last = reframer.nextFrame()
                    (last.length to last.isFinal) shouldBe (25 to true)
                    last.startOffset shouldBe 256
                    reframer.hasFrame() shouldBe false
                }

                test("an exact multiple ends with an empty final frame, so the consumer learns the end") {
                    val reframer = kind.reframer(FixedChunkPolicy(4))
                    kind.push(reframer, FloatArray(8))
                    reframer.nextFrame().isFinal shouldBe false
                    reframer.nextFrame().isFinal shouldBe false
                    reframer.hasFrame() shouldBe false
                    reframer.finish()
                    val marker = reframer.nextFrame()
                    (marker.length to marker.isFinal) shouldBe (0 to true)
                    marker.startOffset shouldBe 2 * 4
                }

                context("channels = 2") {
                    test("the policy counts sample frames of two interleaved values") {
                        val random = Random(3)
                        val signal = pcmSignal(random, 2 * 1000)
                        val split = bursts(random, signal.size, 700, unit = 2)
                        val got = kind.frames(SlidingWindowChunkPolicy(400, 160), signal, split, channels = 2)
                        got.first().values.size shouldBe 800
                        got[1].startOffset shouldBe 160
                        got[1].contextSize shouldBe 240
                        got[1].values shouldBe signal.toList().subList(320, 1120)
                        got.flatMap { it.values.drop(2 * it.contextSize) } shouldBe signal.toList()
                    }

                    test("a length that is not a whole number of sample frames fails and changes nothing") {
                        val reframer = kind.reframer(FixedChunkPolicy(2), channels = 2)
                        kind.push(reframer, floatArrayOf(1f, 2f))
                        shouldThrow<IllegalArgumentException> { kind.push(reframer, floatArrayOf(3f, 4f, 5f)) }.message shouldContain
                            "whole number of sample frames of 2 values, was 3"
                        reframer.pushedFrames shouldBe 1
                        kind.push(reframer, floatArrayOf(3f, 4f))
                        reframer.nextFrame().let(kind::values) shouldBe listOf(1f, 2f, 3f, 4f)
                    }
                }

                test("finish(padFinal = true) pads the final frame with zeros to the full length") {
                    val reframer = kind.reframer(LeftContextChunkPolicy(4, 2))
                    kind.push(reframer, floatArrayOf(1f, 2f, 3f, 4f, 5f))
                    reframer.nextFrame()
                    reframer.finish(padFinal = true)
                    val last = reframer.nextFrame()
                    last.let(kind::values) shouldBe listOf(3f, 4f, 5f, 0f, 0f, 0f)
                    (last.contextSize to last.paddingSize) shouldBe (2 to 3)
                    last.newLength shouldBe 1
                    last.isFinal shouldBe true
                }

                test("continueAfterDone: the remainder is not final, then every frame is empty and not final") {
                    val reframer = kind.reframer(FixedChunkPolicy(4, continueAfterDone = true))
                    kind.push(reframer, FloatArray(6) { it.toFloat() })
                    reframer.nextFrame().length shouldBe 4
                    reframer.finish()
                    val rest = reframer.nextFrame()
                    (rest.let(kind::values) to rest.isFinal) shouldBe (listOf(4f, 5f) to false)
                    repeat(3) {
                        reframer.hasFrame() shouldBe true
                        val empty = reframer.nextFrame()
                        (empty.length to empty.isFinal) shouldBe (0 to false)
                        empty.startOffset shouldBe 6
                    }
                }

                test("reset() discards everything and starts a new stream") {
                    val reframer = kind.reframer(FixedChunkPolicy(3))
                    kind.push(reframer, floatArrayOf(1f, 2f, 3f, 4f))
                    reframer.finish()
                    reframer.reset()
                    reframer.isProducerDone shouldBe false
                    reframer.isFinished shouldBe false
                    reframer.hasFrame() shouldBe false
                    reframer.pushedFrames shouldBe 0
                    kind.push(reframer, floatArrayOf(7f, 8f, 9f))
                    val f = reframer.nextFrame()
                    (f.let(kind::values) to f.index) shouldBe (listOf(7f, 8f, 9f) to 0L)
                    f.startOffset shouldBe 0
                }

                context("bad input fails cleanly and changes nothing") {
                    withData<Pair<String, (PcmReframer<*>) -> Unit>>(
                        nameFn = { it.first },
                        "negative offset" to { kind.push(it, FloatArray(4), -1, 2) },
                        "negative length" to { kind.push(it, FloatArray(4), 0, -2) },
                        "range outside the array" to { kind.push(it, FloatArray(4), 3, 2) },
                        "offset past the end" to { kind.push(it, FloatArray(4), 5, 0) },
                    ) { (_, act) ->
                        val reframer = kind.reframer(FixedChunkPolicy(2))
                        kind.push(reframer, floatArrayOf(1f))
                        shouldThrow<IllegalArgumentException> { act(reframer) }
                        reframer.pushedFrames shouldBe 1
                        kind.push(reframer, floatArrayOf(2f))
                        reframer.nextFrame().let(kind::values) shouldBe listOf(1f, 2f)
                    }

                    test("a push after finish() is an IllegalStateException") {
                        val reframer = kind.reframer(FixedChunkPolicy(2))
                        kind.push(reframer, floatArrayOf(1f))
                        reframer.finish()
                        shouldThrow<IllegalStateException> { kind.push(reframer, floatArrayOf(2f)) }.message shouldContain "after finish()"
                        reframer.nextFrame().let(kind::values) shouldBe listOf(1f)
                    }

                    test("nextFrame() with no frame ready is a NoSuchElementException") {
                        shouldThrow<NoSuchElementException> { kind.reframer(FixedChunkPolicy(2)).nextFrame() }
                    }

                    test("channels < 1 is rejected") {
                        shouldThrow<IllegalArgumentException> { kind.reframer(FixedChunkPolicy(2), 0) }.message shouldBe
                            "channels must be >= 1, was 0"
                    }
                }

                test("in steady state nothing is allocated per push or per frame") {
                    val random = Random(5)
                    val bursts = IntArray(4096) { random.nextInt(1, 4097) }
                    val source = FloatArray(4096) { it.toFloat() }
                    val reframer = kind.reframer(FixedChunkPolicy(480))
                    var sink = 0L

                    fun run(rounds: Int) {
                        repeat(rounds) {
                            for (b in bursts) {
                                kind.push(reframer, source, 0, b)
                                reframer.forEachReady { sink += it.offset }
                            }
                        }
                    }
                    kind.push(reframer, source) // the largest burst: the storage reaches its size
                    reframer.forEachReady { }
                    run(2) // warm up the JIT
                    kind.push(reframer, source, 0, 480)
                    val storage = kind.storageOf(reframer.nextFrame())
                    val before = threadAllocatedBytes()
                    run(3)
                    val allocated = threadAllocatedBytes() - before
                    // 3 * 4096 pushes and about 52,000 frames: far less than one object per 10 operations.
                    check(allocated < 4096) { "allocated $allocated bytes in steady state" }
                    kind.push(reframer, source, 0, 480)
                    (kind.storageOf(reframer.nextFrame()) === storage) shouldBe true
                    check(
                        java.lang.reflect.Array
                            .getLength(storage) <= 4096 + 2 * 480,
                    ) { "storage grew" }
                    (sink >= 0) shouldBe true
                }
            }
        }
    })

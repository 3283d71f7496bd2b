package dev.sluice.buffer

import kotlin.random.Random

/**
 * One sample type of re-framer, so that every test below runs over [FloatReframer],
 * [ShortReframer] and [IntReframer]. Test signals hold whole numbers in the 16-bit range, exact in
 * all three types.
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

object IntKind : PcmKind("IntReframer") {
    private val converted = HashMap<FloatArray, IntArray>()

    override fun reframer(
        policy: ChunkPolicy,
        channels: Int,
    ) = IntReframer(policy, channels)

    override fun push(
        reframer: PcmReframer<*>,
        values: FloatArray,
        offset: Int,
        length: Int,
    ) {
        // Convert once per source array, so that the allocation test measures the re-framer only.
        val ints = converted.getOrPut(values) { IntArray(values.size) { values[it].toInt() } }
        (reframer as IntReframer).push(ints, offset, length)
    }

    override fun values(frame: PcmFrame) = (frame as IntFrame).toArray().map { it.toFloat() }

    override fun storageOf(frame: PcmFrame): Any = (frame as IntFrame).array
}

val pcmKinds = listOf(FloatKind, ShortKind, IntKind)

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

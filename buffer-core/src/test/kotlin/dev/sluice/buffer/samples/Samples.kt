package dev.sluice.buffer.samples

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.FloatReframer
import dev.sluice.buffer.IntFrame
import dev.sluice.buffer.IntReframer
import dev.sluice.buffer.LeftContextChunkPolicy
import dev.sluice.buffer.PcmDecoder
import dev.sluice.buffer.RampChunkPolicy
import dev.sluice.buffer.SampleEncoding
import dev.sluice.buffer.ShortReframer
import dev.sluice.buffer.SlidingWindowChunkPolicy
import dev.sluice.buffer.StreamBuffer

// The samples that KDoc (@sample) and README.md show. SamplesSpec runs each one and checks its
// output, and checks that README.md quotes them unchanged.

/** Pushes 0 until [n] through a buffer with [policy] after the producer is done, and describes each chunk. */
fun describeChunks(
    policy: ChunkPolicy,
    n: Int,
): List<String> {
    val buffer = StreamBuffer<Int>(policy)
    for (i in 0 until n) buffer.append(i)
    buffer.signalDone()
    val lines = mutableListOf<String>()
    buffer.forEachReady { c ->
        lines += "context=${c.items.take(c.contextSize)} new=${c.newItems}" + if (c.isFinal) " final" else ""
    }
    return lines
}

fun fixedChunkPolicySample(): List<String> = describeChunks(FixedChunkPolicy(chunkSize = 4), n = 10)
// context=[] new=[0, 1, 2, 3]
// context=[] new=[4, 5, 6, 7]
// context=[] new=[8, 9] final

fun leftContextChunkPolicySample(): List<String> = describeChunks(LeftContextChunkPolicy(chunk = 4, leftContext = 2), n = 10)
// context=[] new=[0, 1, 2, 3]
// context=[2, 3] new=[4, 5, 6, 7]
// context=[6, 7] new=[8, 9] final

fun slidingWindowChunkPolicySample(): List<String> = describeChunks(SlidingWindowChunkPolicy(window = 4, stride = 2), n = 9)
// context=[] new=[0, 1, 2, 3]
// context=[2, 3] new=[4, 5]
// context=[4, 5] new=[6, 7]
// context=[6, 7] new=[8] final

fun rampChunkPolicySample(): List<String> = describeChunks(RampChunkPolicy(sizes = listOf(1, 2, 4), leftContext = 1), n = 10)
// context=[] new=[0]
// context=[0] new=[1, 2]
// context=[2] new=[3, 4, 5, 6]
// context=[6] new=[7, 8, 9] final

/** A custom policy: chunks that double in size, with no context. Policies are values. */
data class DoublingPolicy(
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

fun customPolicySample(): List<String> = describeChunks(DoublingPolicy(first = 1), n = 10)
// context=[] new=[0]
// context=[] new=[1, 2]
// context=[] new=[3, 4, 5, 6]
// context=[] new=[7, 8, 9] final

fun streamBufferSample(): List<String> {
    val buffer = StreamBuffer<String>("req-1", "thinker->talker", 0, FixedChunkPolicy(2))
    buffer.preReadRegister("a") // reads in flight: slots are reserved in order
    buffer.preReadRegister("b")
    buffer.put("b", "world") // arrives first, but waits for "a"
    val before = buffer.hasChunkReady() // false
    buffer.put("a", "hello")
    val first = buffer.popChunk() // [hello, world], not final: the producer is not done
    buffer.signalDone()
    val last = buffer.popChunk() // the empty final chunk tells the consumer the stream ended
    return listOf("ready before a: $before", "first=${first.items} final=${first.isFinal}", "last=${last.items} final=${last.isFinal}")
}
// ready before a: false
// first=[hello, world] final=false
// last=[] final=true

fun floatReframerSample(): List<String> {
    val reframer = FloatReframer(FixedChunkPolicy(480)) // 20 ms frames at 24 kHz
    val lines = mutableListOf<String>()
    for (burst in listOf(700, 100, 500)) {
        reframer.push(FloatArray(burst) { 0.1f })
        reframer.forEachReady { frame ->
            // a view: valid until the next call
            lines += "frame ${frame.index}: ${frame.length} samples from sample ${frame.startOffset}"
        }
    }
    reframer.finish(padFinal = true)
    val last = reframer.nextFrame()
    lines += "final frame ${last.index}: ${last.newSize} samples + ${last.paddingSize} zeros"
    return lines
}
// frame 0: 480 samples from sample 0
// frame 1: 480 samples from sample 480
// final frame 2: 340 samples + 140 zeros

fun pcmDecoderSample(): List<String> {
    // FreeTTS's shape: 16 kHz signed 16-bit big-endian bytes, in writes that may split a sample.
    val decoder = PcmDecoder(SampleEncoding.S16_BE)
    val reframer = FloatReframer(FixedChunkPolicy(320)) // 20 ms frames at 16 kHz
    val lines = mutableListOf<String>()
    for (write in listOf(301, 400, 299)) {
        // Decodes straight into the re-framer's storage; an odd byte waits for the next write.
        reframer.push(decoder, ByteArray(write), 0, write)
        lines += "$write bytes: ${decoder.pendingBytes} byte(s) carried, ${reframer.pushedFrames} samples in"
    }
    decoder.finish() // the stream ended on a whole sample
    reframer.forEachReady { lines += "frame ${it.index}: ${it.newSize} samples" }
    return lines
}
// 301 bytes: 1 byte(s) carried, 150 samples in
// 400 bytes: 1 byte(s) carried, 350 samples in
// 299 bytes: 0 byte(s) carried, 500 samples in
// frame 0: 320 samples

fun intReframerSample(): List<String> {
    // Codec codes of 2 codebooks: one codec frame is 2 ints. Chunks of 4 codec frames with 1 of context.
    val reframer = IntReframer(LeftContextChunkPolicy(chunk = 4, leftContext = 1), channels = 2)
    val lines = mutableListOf<String>()
    for (frame in 0 until 10) {
        reframer.push(intArrayOf(100 + frame, 200 + frame)) // one codec frame, as the model emits it
        reframer.forEachReady { f -> lines += describe(f) }
    }
    reframer.finish()
    reframer.forEachReady { f -> lines += describe(f) }
    return lines
}

private fun describe(f: IntFrame): String =
    "chunk ${f.index}: codec frames [${f.startOffset}, ${f.startOffset + f.length / f.channels}), context ${f.contextSize}, " +
        "first codes ${f.array[f.offset]} ${f.array[f.offset + 1]}, final=${f.isFinal}"
// chunk 0: codec frames [0, 4), context 0, first codes 100 200, final=false
// chunk 1: codec frames [3, 8), context 1, first codes 103 203, final=false
// chunk 2: codec frames [7, 10), context 1, first codes 107 207, final=true

fun shortReframerSample(): List<String> {
    val reframer = ShortReframer(SlidingWindowChunkPolicy(window = 400, stride = 160), channels = 1)
    reframer.push(ShortArray(1000))
    val lines = mutableListOf<String>()
    reframer.forEachReady { f -> lines += "window ${f.index}: samples [${f.startOffset}, ${f.startOffset + f.length})" }
    return lines
}
// window 0: samples [0, 400)
// window 1: samples [160, 560)
// window 2: samples [320, 720)
// window 3: samples [480, 880)

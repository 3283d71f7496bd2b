package dev.sluice.check

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.LeftContextChunkPolicy
import dev.sluice.buffer.StreamBuffer
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlin.concurrent.thread

/**
 * Streams 3200 samples in bursts of 1000, 1500 and 700 from a generating thread, re-frames them to
 * 480-sample frames, and cuts 0..9 with left context; exits non-zero if anything differs.
 */
fun main() {
    val streamer = AsyncAudioStreamer(batchSize = 1)
    val generator =
        thread(name = "generator") {
            var next = 0
            for (burst in listOf(1000, 1500, 700)) {
                streamer.put(FloatArray(burst) { (next + it).toFloat() }, sampleIndex = 0)
                next += burst
            }
            streamer.end()
        }
    val frames = runBlocking { streamer.stream(0).reframe(FixedChunkPolicy(480), padFinal = true).toList() }
    generator.join()
    val audio = frames.flatMap { frame -> frame.newSamples().toList() }
    check(audio == List(3200) { it.toFloat() }) { "re-framed audio differs from what was put" }

    val buffer = StreamBuffer<Int>(LeftContextChunkPolicy(chunk = 4, leftContext = 2))
    for (i in 0 until 10) buffer.append(i)
    buffer.signalDone()
    val chunks = mutableListOf<String>()
    buffer.forEachReady { chunks += "${it.items.take(it.contextSize)}+${it.newItems}" }
    check(chunks == listOf("[]+[0, 1, 2, 3]", "[2, 3]+[4, 5, 6, 7]", "[6, 7]+[8, 9]")) { "chunks: $chunks" }

    val last = frames.last()
    println("kotlin consumer: ${frames.size} frames, final=${last.isFinal}, padding=${last.paddingSize}; chunks $chunks")
}

package dev.sluice.audio.samples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.BlockingAudioReader
import dev.sluice.audio.chunked
import dev.sluice.audio.decodePcm
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.SampleEncoding
import dev.sluice.buffer.SlidingWindowChunkPolicy
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import java.io.ByteArrayOutputStream
import java.io.DataOutputStream
import kotlin.concurrent.thread

// The samples that KDoc (@sample) and README.md show. SamplesSpec runs each one and checks that it
// prints what its trailing comment says.

fun vibeVoiceShapeSample(): List<String> {
    val streamer = AsyncAudioStreamer(batchSize = 1)
    // Generation runs on a plain thread: bursts of 24 kHz audio of any size.
    val generator =
        thread(name = "generator") {
            for (burst in listOf(1000, 1500, 700)) streamer.put(FloatArray(burst) { 0.25f }, sampleIndex = 0)
            streamer.end()
        }
    // A coroutine collects sample 0, re-frames it to 20 ms frames and writes 16-bit PCM.
    val pcm = ByteArrayOutputStream()
    val frames =
        runBlocking {
            val out = DataOutputStream(pcm)
            streamer
                .stream(0)
                .reframe(FixedChunkPolicy(480), padFinal = true)
                .toList()
                .onEach { frame -> frame.samples.forEach { out.writeShort((it * Short.MAX_VALUE).toInt()) } }
        }
    generator.join()
    return listOf(
        "frames: ${frames.size}, final: ${frames.last().isFinal}, padding: ${frames.last().paddingSize}",
        "pcm bytes: ${pcm.size()}",
    )
}
// frames: 7, final: true, padding: 160
// pcm bytes: 6720

fun chunkedSample(): List<String> =
    runBlocking {
        (0 until 40)
            .asFlow()
            .chunked(SlidingWindowChunkPolicy(window = 28, stride = 7))
            .toList()
            .map { "offset ${it.startOffset}: ${it.items.size} items, context ${it.contextSize}, final ${it.isFinal}" }
    }
// offset 0: 28 items, context 0, final false
// offset 7: 28 items, context 21, final false
// offset 14: 26 items, context 21, final true

fun blockingSample(): List<String> {
    val streamer = AsyncAudioStreamer(batchSize = 2)
    val generator =
        thread {
            streamer.put(listOf(FloatArray(4), FloatArray(2)), sampleIndices = intArrayOf(0, 1))
            streamer.put(FloatArray(3), sampleIndex = 0)
            streamer.end()
        }
    val values = IntArray(2)
    // Each map holds the oldest chunk of every sample that has one; the loop ends when all ended.
    BlockingAudioReader(streamer).batches().use { batches ->
        for (batch in batches) batch.forEach { (sample, chunk) -> values[sample] += chunk.samples.size }
    }
    generator.join()
    return listOf("sample 0: ${values[0]} values, sample 1: ${values[1]} values")
}
// sample 0: 7 values, sample 1: 2 values

fun decodePcmSample(): List<String> =
    runBlocking {
        // A 16-bit little-endian body in chunks that split a sample in half.
        flowOf(byteArrayOf(0x00, 0x40, 0x00), byteArrayOf(0xC0.toByte(), 0x00, 0x20))
            .decodePcm(SampleEncoding.S16_LE)
            .toList()
            .map { it.toList().toString() }
    }
// [0.5]
// [-0.5, 0.25]

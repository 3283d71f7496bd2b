package dev.sluice.examples

import com.sun.speech.freetts.VoiceManager
import dev.sluice.audio.AsyncAudioStreamer
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.fold
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.ByteBuffer
import java.nio.file.Files
import javax.sound.sampled.AudioSystem

private val TEXTS = listOf("Hello from Sluice, streaming speech.", "Every chunk once, in order, to the end.", "A third voice.")

/** FreeTTS's whole output for [text], captured by a plain player with no Sluice in the way. */
private fun speakWhole(text: String): ShortArray {
    System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory")
    val voice = VoiceManager.getInstance().getVoice("kevin16")
    voice.allocate()
    val player = CapturingPlayer()
    voice.audioPlayer = player
    voice.speak(text)
    voice.deallocate()
    val format = player.audioFormat!!
    format.isBigEndian shouldBe true
    format.sampleRate shouldBe 16_000f
    val shorts = ByteBuffer.wrap(player.bytes.toByteArray()).asShortBuffer()
    return ShortArray(shorts.remaining()).also { shorts.get(it) }
}

class FreeTtsSpec :
    FunSpec({
        System.setProperty("java.awt.headless", "true")

        test("a batch spoken side by side streams each engine's whole output, sample for sample") {
            val references = TEXTS.map(::speakWhole) // a second, separate run per text
            val engine = FreeTtsEngine(TEXTS)
            val streamer = AsyncAudioStreamer(batchSize = TEXTS.size, capacity = 4) // small: FreeTTS's thread feels backpressure
            val threads = engine.start(streamer, progress = { _, _ -> }, done = {})
            val streamed =
                runBlocking(Dispatchers.Default) {
                    withTimeout(60_000) {
                        TEXTS.indices
                            .map { i ->
                                async {
                                    streamer
                                        .stream(i)
                                        .toList()
                                        .flatMap { it.samples.asList() }
                                        .toFloatArray()
                                }
                            }.awaitAll()
                    }
                }
            threads.forEach { it.join(10_000) }
            for (i in TEXTS.indices) {
                val whole = references[i]
                (whole.size > 16_000) shouldBe true // over a second of speech: a real engine spoke
                streamed[i].size shouldBe whole.size
                for (k in whole.indices) {
                    if (streamed[i][k] !=
                        whole[k] / 32768f
                    ) {
                        error("text $i, sample $k: streamed ${streamed[i][k]}, whole ${whole[k] / 32768f}")
                    }
                }
                engine.wholeOutput(i)!!.contentEquals(streamed[i]) shouldBe true // the teed bytes agree too
                (engine.writes[i] > 10) shouldBe true // FreeTTS pushed in many writes, not one
            }
        }

        test("a consumer that stops early stops FreeTTS; the other texts stream to the end") {
            val engine = FreeTtsEngine(TEXTS.take(2))
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 2)
            val threads = engine.start(streamer, progress = { _, _ -> }, done = {})
            val (first, second) =
                runBlocking(Dispatchers.Default) {
                    withTimeout(60_000) {
                        val a = async { streamer.stream(0).take(3).toList() } // take(3) cancels sample 0
                        val b = async { streamer.stream(1).fold(0) { n, c -> n + c.samples.size } }
                        a.await() to b.await()
                    }
                }
            threads.forEach { it.join(10_000) }
            threads.all { !it.isAlive } shouldBe true
            first.size shouldBe 3
            streamer.isCancelled(0) shouldBe true
            (engine.wholeOutput(0) == null) shouldBe true // FreeTTS was told to stop: no whole output
            second shouldBe speakWhole(TEXTS[1]).size
        }

        test("./demo --engine freetts: exact audio, a time to first audio, WAV files at 16 kHz") {
            val dir = Files.createTempDirectory("sluice-freetts").toFile()
            val out = ByteArrayOutputStream()
            val code =
                runMain(
                    listOf("--engine", "freetts", "--text", TEXTS[0], "--text", TEXTS[2], "--out", dir.path),
                    PrintStream(out, true),
                    PrintStream(ByteArrayOutputStream(), true),
                )
            val text = out.toString()
            code shouldBe 0
            text shouldContain "freetts engine"
            text shouldContain "kevin16 voice(s) loaded in"
            Regex("exact match \\(max \\|diff\\| = 0\\)").findAll(text).count() shouldBe 2
            Regex("time to first audio (\\d+) ms, real-time factor ([0-9.]+)").findAll(text).count() shouldBe 2
            for (k in 0..1) {
                val format = AudioSystem.getAudioFileFormat(java.io.File(dir, "sample-$k.wav")).format
                format.sampleRate shouldBe 16_000f
            }
            dir.deleteRecursively()
        }
    })

/** A player that keeps every byte: the reference capture. */
private class CapturingPlayer : PcmOnlyAudioPlayer() {
    val bytes = ByteArrayOutputStream()

    override fun write(
        audioData: ByteArray,
        offset: Int,
        size: Int,
    ): Boolean {
        bytes.write(audioData, offset, size)
        return true
    }
}

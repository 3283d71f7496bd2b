package dev.sluice.examples

import dev.sluice.audio.AsyncAudioStreamer
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.io.File
import java.nio.file.Files
import java.security.MessageDigest
import kotlin.random.Random

/** FreeTTS speaking [text], streamed through Sluice: the played audio of one sample. */
private fun freeTtsWave(text: String): FloatArray {
    val engine = FreeTtsEngine(listOf(text))
    val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 8)
    val threads = engine.start(streamer, progress = { _, _ -> }, done = {})
    val wave = engine.wholeOutputAfter(streamer, threads)
    return wave
}

private fun FreeTtsEngine.wholeOutputAfter(
    streamer: AsyncAudioStreamer,
    threads: List<Thread>,
): FloatArray {
    runBlocking(Dispatchers.Default) { withTimeout(60_000) { streamer.stream(0).collect {} } }
    threads.forEach { it.join(10_000) }
    return wholeOutput(0)!!
}

class SileroVadSpec :
    FunSpec({
        System.setProperty("java.awt.headless", "true")
        // Fetched with npm pack on first use, its SHA-256 checked; a missing npm fails here, saying what to install.
        val model = SileroVad.model()
        val vad = SileroVad(model)
        afterSpec { vad.close() }
        val speech = freeTtsWave("Every chunk once, in order, to the end.")

        test("the model is fetched with npm pack, verified, and cached outside the source tree") {
            val digest = MessageDigest.getInstance("SHA-256").digest(model.readBytes()).joinToString("") { "%02x".format(it) }
            digest shouldBe SileroVad.SHA256
            model.length() shouldBe 2_327_524L
            model.canonicalPath.startsWith(File("").canonicalPath) shouldBe false
        }

        test("a cached model that fails its check is fetched again") {
            val cache = Files.createTempDirectory("sluice-cache").toFile()
            val first = SileroVad.model(cache)
            first.writeBytes(ByteArray(100)) // corrupt it
            val again = SileroVad.model(cache)
            again.length() shouldBe 2_327_524L
            cache.deleteRecursively()
        }

        test("without npm the fetch fails and says what to install") {
            val cache = Files.createTempDirectory("sluice-cache").toFile()
            val e = runCatching { SileroVad.model(cache, npm = "/nonexistent/npm") }.exceptionOrNull()
            (e is EngineMissingException) shouldBe true
            e!!.message!! shouldContain "install Node.js and npm"
            cache.deleteRecursively()
        }

        test("the model hears speech in FreeTTS's audio and none in silence") {
            val probabilities = vad.offline(speech)
            (probabilities.max() > 0.9f) shouldBe true
            vad.offline(FloatArray(16_000)).all { it < 0.1f } shouldBe true
        }

        test("VAD on the live stream's chunks equals VAD offline over the whole waveform, bit for bit") {
            // Any split of the audio into chunks: the windows, the state carried and the probabilities are the same.
            val random = Random(5)
            val lengths = listOf(speech.size, speech.size / 512 * 512, 512, 511, 513, 1)
            for (length in lengths) {
                val wave = speech.copyOf(length)
                val offline = vad.offline(wave)
                offline.size shouldBe (length + 511) / 512
                repeat(3) {
                    val stream = vad.Stream()
                    var at = 0
                    while (at < wave.size) {
                        val n = minOf(wave.size - at, random.nextInt(1, 3_000))
                        stream.push(wave, at, n)
                        at += n
                    }
                    val live = stream.finish()
                    if (!live.contentEquals(offline)) error("length $length: live ${live.toList()} != offline ${offline.toList()}")
                }
            }
        }

        test("./demo --engine freetts --vad: a batch with VAD beside the timeline, streamed == offline") {
            val dir = Files.createTempDirectory("sluice-vad").toFile()
            val options =
                DemoOptions.parse(
                    listOf(
                        "--engine",
                        "freetts",
                        "--vad",
                        "--text",
                        "Hello from Sluice.",
                        "--text",
                        "A second voice, side by side.",
                        "--out",
                        dir.path,
                    ),
                )
            val result = Demo(options, console = null).run()
            for (r in result.reports) {
                r.exact shouldBe true
                val v = r.vad!!
                v.identical shouldBe true
                v.live.size shouldBe (r.samples + 511) / 512
                v.segments.isNotEmpty() shouldBe true
                r.summary() shouldContain "bit-identical"
            }
            result.setup!! shouldContain "Silero VAD"
            javax.imageio.ImageIO
                .read(result.timeline)
                .width shouldBe 960
            dir.deleteRecursively()
        }
    })

package dev.sluice.examples

import dev.sluice.buffer.LeftContextChunkPolicy
import dev.sluice.buffer.StreamBuffer
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import javax.imageio.ImageIO
import javax.sound.sampled.AudioSystem

private const val TEXT = "Hi, Sluice."

private fun run(vararg args: String): Triple<Int, String, String> {
    val out = ByteArrayOutputStream()
    val err = ByteArrayOutputStream()
    val code = runMain(args.toList(), PrintStream(out, true), PrintStream(err, true))
    return Triple(code, out.toString(), err.toString())
}

class DemoSpec :
    FunSpec({
        System.setProperty("java.awt.headless", "true")

        context("the pipeline streams exactly what offline decoding gives, for every built-in policy") {
            withData(
                nameFn = { it.joinToString(" ") },
                listOf("--policy", "fixed", "--chunk", "3"),
                listOf("--policy", "left", "--chunk", "4", "--left", "2"),
                listOf("--policy", "left", "--chunk", "2", "--left", "3", "--receptive", "3"),
                listOf("--policy", "sliding", "--window", "6", "--stride", "4"),
                listOf("--policy", "ramp", "--sizes", "1,2,4,8", "--left", "2"),
            ) { policyArgs ->
                val dir = Files.createTempDirectory("sluice-demo").toFile()
                val options =
                    DemoOptions.parse(
                        policyArgs + listOf("--text", TEXT, "--text", "$TEXT again", "--rate", "1000", "--out", dir.path),
                    )
                val result = Demo(options, console = null).run()

                result.reports.size shouldBe 2
                for (r in result.reports) {
                    // streamed == offline, sample for sample
                    r.exact shouldBe true
                    r.maxDiff shouldBe 0.0
                    r.offlineSamples shouldBe r.samples
                    // the numbers agree with each other
                    r.samples shouldBe r.text.length * Talker.FRAMES_PER_CHAR * CausalVocoder.SAMPLES_PER_FRAME
                    r.frames shouldBe (r.samples + 479) / 480
                    r.audioSeconds shouldBe r.samples / 24_000.0
                    r.timings.size shouldBe r.chunks
                    (r.chunks >= 1) shouldBe true
                    (r.firstAudioMillis > 0) shouldBe true
                    (r.realTimeFactor > 0) shouldBe true
                    r.timings.map { it.audioStart } shouldBe r.timings.map { it.audioStart }.sorted()
                    r.summary() shouldContain "exact match (max |diff| = 0)"
                }
                // the WAV files parse, with the right rate and length
                result.wavFiles.zip(result.reports).forEach { (file, r) ->
                    val format = AudioSystem.getAudioFileFormat(file)
                    format.format.sampleRate shouldBe 24_000f
                    format.format.sampleSizeInBits shouldBe 16
                    format.format.channels shouldBe 1
                    format.frameLength shouldBe r.samples
                }
                // the timeline exists and decodes
                val image = ImageIO.read(result.timeline)
                (image != null && image.width == 960 && image.height == 540) shouldBe true
                dir.deleteRecursively()
            }
        }

        test("the exact trim matters: trimming a fixed leftContext * 1920 samples does not match offline") {
            val vocoder = CausalVocoder(receptive = 2)
            val tokens = Talker.frames(TEXT)
            val offline = vocoder.decode(tokens, 0)
            val buffer = StreamBuffer<Int>("t", "talker->vocoder", 0, LeftContextChunkPolicy(4, 2))
            val exact = FloatList()
            val fixed = FloatList()
            tokens.forEach(buffer::append)
            buffer.signalDone()
            while (buffer.hasChunkReady()) {
                val chunk = buffer.popChunk()
                val new = Demo.decodeNew(vocoder, chunk)
                exact.add(new, 0, new.size)
                // The reference designs' mistake: always cut leftContext frames, even from the first chunk.
                val all = vocoder.decode(chunk.items, chunk.startOffset)
                val cut = minOf(all.size, 2 * CausalVocoder.SAMPLES_PER_FRAME)
                fixed.add(all, cut, all.size - cut)
            }
            exact.toArray().contentEquals(offline) shouldBe true
            fixed.toArray().contentEquals(offline) shouldBe false
            (fixed.toArray().size < offline.size) shouldBe true // the first chunk lost its first frames
        }

        test("a left context smaller than the vocoder's R warns, and the streamed audio is not exact") {
            val dir = Files.createTempDirectory("sluice-demo").toFile()
            val (code, out, err) =
                run(
                    "--policy",
                    "left",
                    "--left",
                    "1",
                    "--receptive",
                    "2",
                    "--text",
                    TEXT,
                    "--rate",
                    "1000",
                    "--out",
                    dir.path,
                )
            err shouldContain "the streamed audio cannot be exact"
            out shouldContain "MISMATCH"
            code shouldBe 4
            dir.deleteRecursively()
        }

        context("bad arguments get a usage message and a non-zero exit, not a stack trace") {
            withData(
                nameFn = { it.first.joinToString(" ") },
                listOf("--policy", "zigzag") to "unknown policy: zigzag",
                listOf("--chunk", "x") to "--chunk must be a whole number, was x",
                listOf("--policy", "sliding", "--window", "4", "--stride", "6") to "--stride must be <= --window",
                listOf("--rate", "-1") to "--rate must be in (0, 1000]",
                listOf("--bogus", "1") to "unknown option: --bogus",
                listOf("--engine", "tts9000") to "unknown engine: tts9000",
                listOf("--text") to "--text needs a value",
                listOf("--rate", "NaN") to "--rate must be in (0, 1000], was NaN",
                listOf("--policy", "fixed", "--window", "4", "--stride", "6") to "--stride must be <= --window",
                listOf("--text", "x".repeat(DemoOptions.MAX_TEXT + 1)) to "--text must be at most ${DemoOptions.MAX_TEXT} characters",
                listOf("--vad") to "--vad needs --engine freetts",
                listOf("--engine", "espeak", "--vad") to "--vad needs --engine freetts",
            ) { (args, message) ->
                val (code, _, err) = run(*args.toTypedArray())
                code shouldBe 2
                err shouldContain message
                err shouldContain "usage: ./demo"
                (err.contains("Exception") || err.contains("\tat ")) shouldBe false
            }

            test("an output directory that cannot be written") {
                val notADir = File.createTempFile("sluice", ".file")
                val (code, _, err) = run("--out", File(notADir, "sub").path)
                code shouldBe 2
                err shouldContain "cannot write to the output directory"
                notADir.delete()
            }
        }

        test("--engine espeak without espeak-ng says so in one line and exits non-zero") {
            val installed = System.getenv("PATH").split(File.pathSeparator).any { File(it, "espeak-ng").canExecute() }
            val dir = Files.createTempDirectory("sluice-demo").toFile()
            val (code, _, err) = run("--engine", "espeak", "--text", "hi", "--out", dir.path)
            if (installed) {
                code shouldBe 0
            } else {
                code shouldBe 3
                err.trim().lines().size shouldBe 1
                err shouldContain "espeak-ng is not on the PATH"
            }
            dir.deleteRecursively()
        }

        context("an empty text ends its sample instead of hanging (defect 9)") {
            withData(listOf(listOf("--text", ""), listOf("--text", "", "--text", "hi"))) { texts ->
                val dir =
                    kotlin.io.path
                        .createTempDirectory("sluice-demo")
                        .toFile()
                var result: Triple<Int, String, String>? = null
                val runner = Thread { result = run(*(texts + listOf("--out", dir.path, "--rate", "50")).toTypedArray()) }
                runner.isDaemon = true
                runner.start()
                runner.join(60_000) // bounded: the bug hung here forever
                runner.isAlive shouldBe false
                val (code, out, _) = result!!
                code shouldBe 0
                out shouldContain "sample 0 \"\""
                (out.contains("\r")) shouldBe false // no progress line when stdout is not a terminal
            }
        }

        test("--help prints the usage and exits 0") {
            val (code, _, err) = run("--help")
            code shouldBe 0
            err shouldContain "--policy ramp|fixed|left|sliding"
        }
    })

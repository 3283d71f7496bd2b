package dev.sluice.examples

import ai.onnxruntime.OnnxTensor
import ai.onnxruntime.OrtEnvironment
import ai.onnxruntime.OrtSession
import dev.sluice.buffer.FloatFrame
import dev.sluice.buffer.FloatReframer
import dev.sluice.buffer.LeftContextChunkPolicy
import java.io.File
import java.io.IOException
import java.io.InputStream
import java.nio.FloatBuffer
import java.nio.LongBuffer
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import java.util.zip.GZIPInputStream

/**
 * Silero VAD v5 through ONNX Runtime: a real neural model whose input Sluice's policies produce.
 * Its streaming contract at 16 kHz is 512 new samples plus the 64 samples before them, which is
 * exactly [LeftContextChunkPolicy] `(512, 64)` over PCM, and a recurrent state `[2, 1, 128]`
 * carried from window to window. One session serves every stream; it runs on one thread, so a
 * window's result does not depend on how ONNX Runtime splits its work.
 */
internal class SileroVad(
    model: File,
) : AutoCloseable {
    private val env = OrtEnvironment.getEnvironment()
    private val session: OrtSession =
        env.createSession(
            model.path,
            OrtSession.SessionOptions().apply {
                setIntraOpNumThreads(1)
                setInterOpNumThreads(1)
                setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL)
            },
        )

    /**
     * Runs one window: [input] holds 64 samples of context then 512 new ones; [state] is read and
     * replaced by the model's next state. Returns the speech probability of the window.
     */
    fun run(
        input: FloatArray,
        state: FloatArray,
    ): Float {
        require(input.size == WINDOW + CONTEXT) { "a window is ${WINDOW + CONTEXT} samples, was ${input.size}" }
        require(state.size == STATE) { "the state is $STATE floats, was ${state.size}" }
        OnnxTensor.createTensor(env, FloatBuffer.wrap(input), longArrayOf(1, input.size.toLong())).use { x ->
            OnnxTensor.createTensor(env, FloatBuffer.wrap(state), longArrayOf(2, 1, 128)).use { s ->
                OnnxTensor.createTensor(env, LongBuffer.wrap(longArrayOf(SAMPLE_RATE.toLong())), longArrayOf(1)).use { sr ->
                    session.run(mapOf("input" to x, "state" to s, "sr" to sr)).use { result ->
                        val probability = (result.get("output").get() as OnnxTensor).floatBuffer.get(0)
                        (result.get("stateN").get() as OnnxTensor).floatBuffer.get(state)
                        return probability
                    }
                }
            }
        }
    }

    /**
     * The offline reference: the model over the whole waveform, window by window, sliced by hand
     * (not by a re-framer): window k is samples `[512k, 512k + 512)`, zero-padded at the end, after
     * the 64 samples before it (zeros before the start).
     */
    fun offline(wave: FloatArray): FloatArray {
        val state = FloatArray(STATE)
        val windows = (wave.size + WINDOW - 1) / WINDOW
        return FloatArray(windows) { k ->
            val input = FloatArray(CONTEXT + WINDOW)
            val start = k * WINDOW
            val from = maxOf(0, start - CONTEXT)
            wave.copyInto(input, CONTEXT - (start - from), from, start)
            wave.copyInto(input, CONTEXT, start, minOf(wave.size, start + WINDOW))
            run(input, state)
        }
    }

    override fun close() {
        session.close()
    }

    /**
     * VAD on a live stream: the stream's chunks, of any size, are re-framed by
     * `LeftContextChunkPolicy(512, 64)`, and each frame is one window of the model. The first frame
     * has no context yet (zeros stand in for it, as Silero's own streaming code does), and the
     * last is padded with zeros to 512 new samples.
     */
    inner class Stream {
        private val reframer = FloatReframer(LeftContextChunkPolicy(WINDOW, CONTEXT))
        private val state = FloatArray(STATE)
        private val input = FloatArray(CONTEXT + WINDOW)
        private val probabilities = ArrayList<Float>()

        /** Nanoseconds spent in the model. */
        var modelNanos: Long = 0
            private set

        /** Feeds samples as they arrive, running every window they complete. */
        fun push(
            samples: FloatArray,
            offset: Int = 0,
            length: Int = samples.size - offset,
        ) {
            reframer.push(samples, offset, length)
            reframer.forEachReady(::window)
        }

        /** Ends the stream: runs the last, padded window. */
        fun finish(): FloatArray {
            reframer.finish(padFinal = true)
            reframer.forEachReady(::window)
            return FloatArray(probabilities.size) { probabilities[it] }
        }

        private fun window(frame: FloatFrame) {
            if (frame.newSize == 0) return // the empty end frame after an exact multiple of 512
            input.fill(0f, 0, CONTEXT - frame.contextSize)
            frame.array.copyInto(input, CONTEXT - frame.contextSize, frame.offset, frame.offset + frame.length)
            val t = System.nanoTime()
            probabilities += run(input, state)
            modelNanos += System.nanoTime() - t
        }
    }

    companion object {
        const val SAMPLE_RATE = 16_000
        const val WINDOW = 512
        const val CONTEXT = 64
        private const val STATE = 2 * 128

        /** Where the model comes from: the npm package that ships it, and its SHA-256. */
        const val PACKAGE = "@livekit/agents-plugin-silero@1.9.0"
        private const val ENTRY = "package/dist/silero_vad.onnx"
        const val SHA256 = "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3"

        /**
         * The model file, fetched with `npm pack` on first use and checked against [SHA256]. It is
         * cached outside the source tree: `$SLUICE_CACHE`, else `$XDG_CACHE_HOME/sluice`, else
         * `~/.cache/sluice`. A cached file that fails the check is fetched again.
         *
         * @param npm the npm command (a test names one that does not exist).
         * @throws EngineMissingException if npm is not installed.
         */
        fun model(
            cache: File = cacheDir(),
            npm: String = "npm",
        ): File {
            val file = File(cache, "silero_vad-${SHA256.take(12)}.onnx")
            if (file.isFile && sha256(file.readBytes()) == SHA256) return file
            cache.mkdirs()
            val work = Files.createTempDirectory(cache.toPath(), "npm-pack").toFile()
            try {
                val tarball = npmPack(work, npm)
                val bytes = GZIPInputStream(tarball.inputStream()).use { untar(it, ENTRY) }
                val actual = sha256(bytes)
                check(actual == SHA256) { "$ENTRY from $PACKAGE has SHA-256 $actual, expected $SHA256: refusing to use it" }
                val tmp = File(work, "model.onnx").apply { writeBytes(bytes) }
                Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
                return file
            } finally {
                work.deleteRecursively()
            }
        }

        private fun cacheDir(): File =
            System.getenv("SLUICE_CACHE")?.let(::File)
                ?: System.getenv("XDG_CACHE_HOME")?.let { File(it, "sluice") }
                ?: File(System.getProperty("user.home"), ".cache/sluice")

        private fun npmPack(
            dir: File,
            npm: String,
        ): File {
            val process =
                try {
                    ProcessBuilder(npm, "pack", PACKAGE, "--silent").directory(dir).redirectErrorStream(true).start()
                } catch (e: IOException) {
                    throw EngineMissingException(
                        "npm is not on the PATH: Silero VAD's model is fetched with `npm pack $PACKAGE`; " +
                            "install Node.js and npm (apt-get install nodejs npm)",
                    )
                }
            val output = process.inputStream.bufferedReader().readText()
            check(process.waitFor(5, TimeUnit.MINUTES)) { "npm pack $PACKAGE did not finish in 5 minutes" }
            check(process.exitValue() == 0) { "npm pack $PACKAGE failed (exit ${process.exitValue()}): $output" }
            return dir.listFiles { f -> f.name.endsWith(".tgz") }?.singleOrNull()
                ?: error("npm pack $PACKAGE made no tarball: $output")
        }

        /** Reads the tar entry [name] from [input] (ustar: 512-byte headers, sizes in octal). */
        private fun untar(
            input: InputStream,
            name: String,
        ): ByteArray {
            val header = ByteArray(512)
            while (true) {
                if (input.readNBytes(header, 0, 512) < 512 || header.all { it == 0.toByte() }) break
                val entry = String(header, 0, 100, Charsets.US_ASCII).trimEnd('\u0000')
                val prefix = String(header, 345, 155, Charsets.US_ASCII).trimEnd('\u0000')
                val path = if (prefix.isEmpty()) entry else "$prefix/$entry"
                val size = String(header, 124, 12, Charsets.US_ASCII).trim('\u0000', ' ').toLong(8)
                val data = input.readNBytes(size.toInt())
                input.readNBytes(((512 - size % 512) % 512).toInt())
                if (path == name) return data
            }
            error("$PACKAGE has no $name")
        }

        private fun sha256(bytes: ByteArray): String =
            MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }
    }
}

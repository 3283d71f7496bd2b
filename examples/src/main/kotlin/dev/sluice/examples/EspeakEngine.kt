package dev.sluice.examples

import dev.sluice.audio.AsyncAudioStreamer
import java.io.DataInputStream
import java.io.IOException
import java.io.InputStream
import kotlin.concurrent.thread

/** espeak-ng is not installed: the demo says so in one line and exits non-zero. */
internal class EngineMissingException(
    message: String,
) : Exception(message)

/**
 * A real audio producer: `espeak-ng --stdout` speaks each text; its WAV output is read in bursts,
 * as it comes, and put into the streamer, one producer thread per text.
 */
internal class EspeakEngine(
    private val texts: List<String>,
) {
    /** espeak-ng's output rate, read from a probe run. */
    val sampleRate: Int

    init {
        val probe =
            try {
                ProcessBuilder("espeak-ng", "--stdout", "a").redirectError(ProcessBuilder.Redirect.DISCARD).start()
            } catch (e: IOException) {
                throw EngineMissingException(
                    "espeak-ng is not on the PATH: install it (apt-get install espeak-ng) or use --engine synthetic",
                )
            }
        sampleRate = probe.inputStream.use { readHeader(DataInputStream(it)) }
        probe.waitFor()
    }

    fun start(
        streamer: AsyncAudioStreamer,
        progress: (Int, Int) -> Unit,
        done: (Int) -> Unit,
    ): List<Thread> =
        texts.indices.map { i ->
            thread(name = "espeak-$i") {
                try {
                    val process =
                        ProcessBuilder("espeak-ng", "--stdout", texts[i]).redirectError(ProcessBuilder.Redirect.DISCARD).start()
                    process.inputStream.use { raw ->
                        val input = DataInputStream(raw)
                        readHeader(input)
                        val bytes = ByteArray(BURST)
                        while (true) {
                            val n = readSome(input, bytes)
                            if (n <= 0) break
                            val burst =
                                FloatArray(n / 2) { k ->
                                    ((bytes[2 * k].toInt() and 0xff) or (bytes[2 * k + 1].toInt() shl 8)).toShort() /
                                        32768f
                                }
                            streamer.put(burst, i)
                            progress(i, burst.size)
                        }
                    }
                    process.waitFor()
                    done(i)
                    streamer.end(intArrayOf(i))
                } catch (e: Throwable) {
                    streamer.fail(e)
                }
            }
        }

    /** Reads up to [bytes].size bytes, an even number, blocking only for the first. */
    private fun readSome(
        input: InputStream,
        bytes: ByteArray,
    ): Int {
        var n = input.read(bytes)
        if (n > 0 && n % 2 == 1) {
            val extra = input.read()
            if (extra >= 0) bytes[n++] = extra.toByte() else n--
        }
        return n
    }

    /** Reads a 44-byte canonical WAV header and returns its sample rate. */
    private fun readHeader(input: DataInputStream): Int {
        val header = ByteArray(44)
        input.readFully(header)
        check(String(header, 0, 4) == "RIFF" && String(header, 8, 4) == "WAVE") { "espeak-ng did not write a WAV header" }
        return (header[24].toInt() and 0xff) or ((header[25].toInt() and 0xff) shl 8) or
            ((header[26].toInt() and 0xff) shl 16) or ((header[27].toInt() and 0xff) shl 24)
    }

    private companion object {
        const val BURST = 4096
    }
}

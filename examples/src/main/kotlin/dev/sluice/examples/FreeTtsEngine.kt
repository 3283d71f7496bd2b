package dev.sluice.examples

import com.sun.speech.freetts.Voice
import com.sun.speech.freetts.VoiceManager
import com.sun.speech.freetts.audio.AudioPlayer
import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.buffer.PcmDecoder
import dev.sluice.buffer.SampleEncoding
import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import javax.sound.sampled.AudioFormat
import kotlin.concurrent.thread

/**
 * A real TTS engine in-process: FreeTTS 1.2.2 with its bundled kevin16 voice. FreeTTS pushes
 * 16 kHz signed 16-bit big-endian PCM through its [AudioPlayer] interface, in writes of up to
 * 1024 bytes, from its own output thread. Each write goes through a [PcmDecoder] and into the
 * streamer as it comes; the same bytes are teed, so that the engine's whole output is known when
 * its text ends. One voice per text, each on a thread of its own, so a batch speaks side by side.
 */
internal class FreeTtsEngine(
    private val texts: List<String>,
) {
    /** FreeTTS's output rate (its 16 kHz voices); checked against each voice's format. */
    val sampleRate: Int = SAMPLE_RATE

    private val whole = arrayOfNulls<ByteArray>(texts.size)

    /** How long loading the voices took, in milliseconds. */
    val loadMillis: Double

    /** One voice per text, loaded up front, as a service loads its voices before requests come. */
    private val voices: List<Voice>

    init {
        val t = System.nanoTime()
        voices = texts.map { newVoice().apply { allocate() } }
        loadMillis = (System.nanoTime() - t) / 1e6
    }

    /** The number of writes FreeTTS made, per text. */
    val writes = IntArray(texts.size)

    /**
     * The engine's whole output for text [i], decoded without Sluice (`ByteBuffer.asShortBuffer`),
     * once its stream has ended; null before.
     */
    fun wholeOutput(i: Int): FloatArray? {
        val bytes = whole[i] ?: return null
        val shorts = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asShortBuffer()
        return FloatArray(shorts.remaining()) { shorts.get(it) / 32768f }
    }

    /** Starts one thread per text; [progress] gets (text, values) per write, [done] the text when it ends. */
    fun start(
        streamer: AsyncAudioStreamer,
        progress: (Int, Int) -> Unit,
        done: (Int) -> Unit,
    ): List<Thread> =
        texts.indices.map { i ->
            thread(name = "freetts-$i") {
                try {
                    val voice = voices[i]
                    val player = StreamingPlayer(i, streamer, progress)
                    try {
                        voice.audioPlayer = player
                        voice.speak(texts[i])
                    } finally {
                        voice.deallocate()
                    }
                    player.failure?.let { throw it }
                    if (player.stopped) return@thread // the consumer cancelled: FreeTTS stopped, nothing to end
                    player.decoder.finish()
                    whole[i] = player.tee.toByteArray()
                    done(i)
                    streamer.end(intArrayOf(i))
                } catch (e: Throwable) {
                    streamer.fail(e)
                }
            }
        }

    /** FreeTTS's audio output, which is Sluice's input: decode each write and put it in the streamer. */
    private inner class StreamingPlayer(
        private val i: Int,
        private val streamer: AsyncAudioStreamer,
        private val progress: (Int, Int) -> Unit,
    ) : PcmOnlyAudioPlayer() {
        lateinit var decoder: PcmDecoder
        val tee = ByteArrayOutputStream()

        @Volatile var failure: Throwable? = null

        /** True once a write found the sample cancelled and told FreeTTS to stop. */
        @Volatile var stopped = false

        override fun setAudioFormat(format: AudioFormat) {
            super.setAudioFormat(format)
            check(
                format.encoding == AudioFormat.Encoding.PCM_SIGNED &&
                    format.sampleSizeInBits == 16 &&
                    format.sampleRate.toInt() == SAMPLE_RATE,
            ) { "FreeTTS chose $format; the demo expects 16 kHz signed 16-bit PCM" }
            decoder = PcmDecoder(if (format.isBigEndian) SampleEncoding.S16_BE else SampleEncoding.S16_LE, format.channels)
        }

        override fun write(
            audioData: ByteArray,
            offset: Int,
            size: Int,
        ): Boolean {
            // Returning false tells FreeTTS to stop: the consumer cancelled, or a put failed.
            if (failure != null) return false
            if (streamer.isCancelled(i)) {
                stopped = true
                return false
            }
            return try {
                tee.write(audioData, offset, size)
                writes[i]++
                val values = decoder.decode(audioData, offset, size)
                if (values.isNotEmpty()) streamer.put(values, i)
                progress(i, values.size)
                true
            } catch (e: Throwable) {
                failure = e
                false
            }
        }
    }

    companion object {
        const val SAMPLE_RATE = 16_000
        private const val VOICE = "kevin16"

        private fun newVoice(): Voice {
            // FreeTTS finds its voices through this property; kevin16 ships in its jar.
            System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory")
            return VoiceManager.getInstance().getVoice(VOICE)
                ?: throw EngineMissingException("FreeTTS has no $VOICE voice on the class path")
        }
    }
}

/**
 * An [AudioPlayer] that only takes PCM: it keeps the format FreeTTS sets, and every control call
 * (pause, drain, volume, timing) does nothing, since no device is behind it. Subclasses take the bytes.
 */
internal abstract class PcmOnlyAudioPlayer : AudioPlayer {
    private var format: AudioFormat? = null

    override fun setAudioFormat(format: AudioFormat) {
        this.format = format
    }

    override fun getAudioFormat(): AudioFormat? = format

    override fun write(audioData: ByteArray): Boolean = write(audioData, 0, audioData.size)

    override fun pause() {}

    override fun resume() {}

    override fun reset() {}

    override fun drain(): Boolean = true

    override fun begin(size: Int) {}

    override fun end(): Boolean = true

    override fun cancel() {}

    override fun close() {}

    override fun getVolume(): Float = 1f

    override fun setVolume(volume: Float) {}

    override fun getTime(): Long = 0

    override fun resetTime() {}

    override fun startFirstSampleTimer() {}

    override fun showMetrics() {}
}

package dev.sluice.android

import android.media.AudioFormat
import dev.sluice.android.samples.Speaker
import dev.sluice.audio.AsyncAudioStreamer
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAudioTrack
import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * The sink on a real `android.media.AudioTrack` (API 24), under Robolectric, with the real
 * urgent-audio priority call. `ShadowAudioTrack` records `ByteBuffer` writes: the bytes the
 * track received must be the re-framed PCM, sample for sample, the tail included.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [24])
class AudioTrackSinkRobolectricTest {
    private val received = ByteArrayOutputStream()
    private val formats = mutableListOf<AudioFormat>()
    private val listener =
        ShadowAudioTrack.OnAudioDataWrittenListener { _, data, format ->
            synchronized(received) {
                received.write(data)
                formats += format
            }
        }

    @Before
    fun listen() = ShadowAudioTrack.addAudioDataListener(listener)

    @After
    fun stopListening() = ShadowAudioTrack.removeAudioDataListener(listener)

    /** Plays [audio], put in [bursts], through a sink on a real track; returns the sink after its end. */
    private fun play(
        audio: FloatArray,
        bursts: List<Int>,
        format: PcmFormat,
    ): AudioTrackSink {
        val engine = AsyncAudioStreamer(batchSize = 1, channels = format.channels)
        val sink = AudioTrackSink(engine, 0, format)
        sink.start()
        val generator =
            thread {
                var at = 0
                for (b in bursts) {
                    engine.put(audio.copyOfRange(at, at + b), 0)
                    at += b
                }
                check(at == audio.size) { "the bursts cover $at of ${audio.size} values" }
                engine.end()
            }
        generator.join()
        assertTrue("the sink did not end: $sink", sink.await(10, TimeUnit.SECONDS))
        return sink
    }

    @Test
    fun sixteenBitPcmReachesTheTrackSampleForSampleWithTheTail() {
        // 24 kHz: 20 ms frames of 480; 5,123 samples end in a tail of 323.
        val audio = FloatArray(5_123) { ((it * 37) % 60_001 - 30_000) / 32_767f }
        val sink = play(audio, listOf(700, 1_300, 2, 3_000, 121), PcmFormat(24_000))

        assertEquals(AudioTrackSink.State.ENDED, sink.state)
        assertEquals(5_123L, sink.framesWritten)
        assertTrue(sink.tailPlayed)
        val bytes = synchronized(received) { received.toByteArray() }
        val shorts = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asShortBuffer()
        val got = ShortArray(shorts.remaining()).also { shorts.get(it) }
        val expected = ShortArray(audio.size) { Math.round(audio[it] * 32_767f).toShort() }
        assertArrayEquals(expected, got)
        assertEquals(AudioFormat.ENCODING_PCM_16BIT, formats.first().encoding)
        assertEquals(24_000, formats.first().sampleRate)
    }

    @Test
    fun stereoFloatPcmReachesTheTrackAsItIs() {
        val audio = FloatArray(2 * 1_000) { (it % 200 - 100) / 128f }
        val sink = play(audio, listOf(2 * 333, 2 * 667), PcmFormat(16_000, 2, PcmEncoding.PCM_FLOAT))

        assertEquals(AudioTrackSink.State.ENDED, sink.state)
        assertEquals(1_000L, sink.framesWritten)
        val bytes = synchronized(received) { received.toByteArray() }
        val floats = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer()
        val got = FloatArray(floats.remaining()).also { floats.get(it) }
        assertArrayEquals(audio, got, 0f)
        assertEquals(AudioFormat.ENCODING_PCM_FLOAT, formats.first().encoding)
        assertEquals(2, formats.first().channelCount)
    }

    @Test
    fun theReadmeSpeakerPlaysAStreamToItsEnd() {
        val engine = AsyncAudioStreamer(batchSize = 1)
        val speaker = Speaker(engine)
        speaker.start()
        val generator =
            thread {
                repeat(10) { engine.put(FloatArray(700) { 0.5f }, 0) }
                engine.end()
            }
        generator.join()
        assertTrue(speaker.awaitEnd())
        assertEquals(2 * 7_000, synchronized(received) { received.size() })
    }

    @Test
    fun stopCancelsTheSampleSoTheProducerStops() {
        val engine = AsyncAudioStreamer(batchSize = 1, capacity = 2)
        val speaker = Speaker(engine)
        speaker.start()
        engine.put(FloatArray(4_800), 0)
        speaker.stop()
        assertTrue(engine.isCancelled(0))
        assertEquals(false, speaker.awaitEnd())
    }
}

package dev.sluice.android.samples

import dev.sluice.android.AudioTrackSink
import dev.sluice.android.PcmFormat
import dev.sluice.audio.AsyncAudioStreamer
import java.util.concurrent.TimeUnit

/** Speaks sample 0 of [engine]: the model's thread calls put and end; the sink plays on its own thread. */
class Speaker(
    engine: AsyncAudioStreamer,
) {
    private val sink = AudioTrackSink(engine, sampleIndex = 0, format = PcmFormat(sampleRate = 24_000))

    /** Starts playback on the sink's urgent-audio thread; returns at once. */
    fun start() = sink.start()

    /** Stops now: pause, flush and release the track; the producer sees the sample cancelled. */
    fun stop() = sink.cancel()

    /** Blocks (never on the main thread) until the stream's last sample has played, or the bound. */
    fun awaitEnd(): Boolean = sink.await(30, TimeUnit.SECONDS) && sink.state == AudioTrackSink.State.ENDED
}

package dev.sluice.examples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.buffer.RampChunkPolicy
import dev.sluice.buffer.StreamBuffer
import dev.sluice.ktor.SpeechGenerator
import dev.sluice.ktor.SpeechRequest
import dev.sluice.ktor.speechPage
import dev.sluice.ktor.speechSocket
import io.ktor.server.application.install
import io.ktor.server.cio.CIO
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.routing.routing
import io.ktor.server.websocket.WebSockets

/**
 * The demo's synthetic engine behind the WebSocket route: the talker's frames, cut with a ramp
 * policy with left context, decoded by the causal vocoder, paced at [rate] times real time.
 */
internal class SyntheticSpeech(
    private val rate: Double = 1.0,
) : SpeechGenerator {
    override fun generate(
        request: SpeechRequest,
        streamer: AsyncAudioStreamer,
    ) {
        val vocoder = CausalVocoder(receptive = 2)
        val buffer = StreamBuffer<Int>(RampChunkPolicy(listOf(1, 2, 4, 8), leftContext = 2))
        val frameNanos = (1e9 / Talker.FRAMES_PER_SECOND / rate).toLong()
        for (token in Talker.frames(request.text)) {
            if (streamer.isCancelled(0)) return
            buffer.append(token)
            buffer.forEachReady { chunk -> streamer.put(Demo.decodeNew(vocoder, chunk), 0) }
            Thread.sleep(frameNanos / 1_000_000, (frameNanos % 1_000_000).toInt())
        }
        buffer.signalDone()
        buffer.forEachReady { chunk ->
            val audio = Demo.decodeNew(vocoder, chunk)
            if (audio.isNotEmpty()) streamer.put(audio, 0)
        }
    }
}

/** Starts the speech server on 127.0.0.1:[port] (0 for any free port): the page at /, the socket at /speech. */
internal fun startSpeechServer(
    port: Int,
    host: String = "127.0.0.1",
): EmbeddedServer<*, *> =
    embeddedServer(CIO, host = host, port = port) {
        install(WebSockets)
        routing {
            speechSocket("/speech", generator = SyntheticSpeech())
            speechPage("/")
        }
    }.start(wait = false)

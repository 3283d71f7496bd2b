package dev.sluice.ktor.samples

import dev.sluice.ktor.SpeechSocketConfig
import dev.sluice.ktor.speechPage
import dev.sluice.ktor.speechSocket
import io.ktor.server.application.install
import io.ktor.server.cio.CIO
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.routing.routing
import io.ktor.server.websocket.WebSockets

/** Stands in for a model: bursts of audio for a text, 100 ms each. */
fun myModel(text: String): Sequence<FloatArray> = generateSequence(0) { it + 1 }.take(text.length).map { FloatArray(2_400) { 0.1f } }

/** A speech server: the player page at /, the socket at /speech. */
fun speechServer(port: Int): EmbeddedServer<*, *> =
    embeddedServer(CIO, host = "127.0.0.1", port = port) {
        install(WebSockets)
        routing {
            speechSocket("/speech", SpeechSocketConfig(sampleRate = 24_000, capacity = 16)) { request, streamer ->
                // Runs on a thread of its own per request: put audio as the model makes it,
                // and stop as soon as the client cancels or leaves.
                for (burst in myModel(request.text)) {
                    if (streamer.isCancelled(0)) break
                    streamer.put(burst, 0)
                }
            }
            speechPage("/")
        }
    }.start(wait = false)

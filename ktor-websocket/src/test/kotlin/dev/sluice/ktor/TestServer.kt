package dev.sluice.ktor

import dev.sluice.audio.AsyncAudioStreamer
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.websocket.WebSockets
import io.ktor.server.application.install
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.routing.routing
import kotlinx.coroutines.runBlocking
import java.nio.ByteBuffer
import java.nio.ByteOrder
import kotlin.math.PI
import kotlin.math.sin
import io.ktor.server.cio.CIO as ServerCIO
import io.ktor.server.websocket.WebSockets as ServerWebSockets

/** Deterministic speech for a text: 300 samples per character, a tone per character. */
fun synthetic(text: String): FloatArray {
    val out = FloatArray(text.length * 300)
    for (c in text.indices) {
        val pitch = 120.0 + (text[c].code % 32) * 12
        for (i in 0 until 300) {
            val n = c * 300 + i
            out[n] = (0.4 * sin(2 * PI * pitch * n / 24_000)).toFloat()
        }
    }
    return out
}

/** Puts [audio] in bursts of [burst] samples, one every [pauseMillis]; stops if cancelled. */
fun putInBursts(
    streamer: AsyncAudioStreamer,
    audio: FloatArray,
    burst: Int = 700,
    pauseMillis: Long = 0,
) {
    var at = 0
    var bursts = 0
    val start = System.nanoTime()
    while (at < audio.size && !streamer.isCancelled(0)) {
        val end = minOf(audio.size, at + burst)
        streamer.put(audio.copyOfRange(at, end), 0)
        at = end
        // Paced against the clock, so that the time spent putting does not slow the stream down.
        val wait = start + ++bursts * pauseMillis * 1_000_000 - System.nanoTime()
        if (pauseMillis > 0 && wait > 0) Thread.sleep(wait / 1_000_000, (wait % 1_000_000).toInt())
    }
}

/** The PCM the route sends for [audio] in s16le, as one byte array. */
fun s16le(audio: FloatArray): ByteArray {
    val out = ByteBuffer.allocate(audio.size * 2).order(ByteOrder.LITTLE_ENDIAN)
    for (v in audio) out.putShort(toPcm16(v))
    return out.array()
}

/** FNV-1a 32 of [bytes], as the page computes it. */
fun fnv1a(bytes: ByteArray): Long {
    var hash = 0x811c9dc5.toInt()
    for (b in bytes) {
        hash = hash xor (b.toInt() and 0xff)
        hash *= 0x01000193
    }
    return hash.toLong() and 0xffff_ffffL
}

/** A real CIO server on 127.0.0.1 and a free port, serving the route at /speech and the page at /. */
class TestServer(
    config: SpeechSocketConfig = SpeechSocketConfig(),
    generator: SpeechGenerator,
) : AutoCloseable {
    private val server: EmbeddedServer<*, *> =
        embeddedServer(ServerCIO, host = "127.0.0.1", port = 0) {
            install(ServerWebSockets)
            routing {
                speechSocket("/speech", config, generator)
                speechPage("/")
            }
        }.start(wait = false)

    /** The port the server listens on. */
    val port: Int =
        runBlocking {
            server.engine
                .resolvedConnectors()
                .first()
                .port
        }

    /** A WebSocket client. */
    val client: HttpClient = HttpClient(CIO) { install(WebSockets) }

    override fun close() {
        client.close()
        server.stop(100, 1_000)
    }
}

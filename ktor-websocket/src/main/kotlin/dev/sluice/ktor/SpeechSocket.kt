package dev.sluice.ktor

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioFrame
import dev.sluice.audio.AudioOverflow
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import io.ktor.server.http.content.staticResources
import io.ktor.server.routing.Route
import io.ktor.server.websocket.DefaultWebSocketServerSession
import io.ktor.server.websocket.webSocket
import io.ktor.websocket.CloseReason
import io.ktor.websocket.Frame
import io.ktor.websocket.close
import io.ktor.websocket.readText
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import java.nio.ByteBuffer
import java.nio.ByteOrder
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds

/** How PCM values travel in binary frames. */
public enum class WireEncoding(
    /** The name used in JSON messages. */
    public val wireName: String,
    /** Bytes per value. */
    public val bytesPerValue: Int,
) {
    /** Signed 16-bit little-endian integers; floats are clamped to [-1, 1] and scaled by 32767. */
    S16LE("s16le", 2),

    /** 32-bit little-endian IEEE floats, as they are. */
    F32LE("f32le", 4),
    ;

    /** Lookup by [wireName]. */
    public companion object {
        /** The encoding called [name] in JSON, or null. */
        public fun byWireName(name: String): WireEncoding? = entries.firstOrNull { it.wireName == name }
    }
}

/** One client request, as the generator receives it. */
public class SpeechRequest(
    /** The text to speak: not blank, at most [SpeechSocketConfig.maxTextLength] characters. */
    public val text: String,
    /** How the client wants the PCM encoded. */
    public val encoding: WireEncoding,
    /** True to pad the final frame with zeros to the full frame duration; false to send it short. */
    public val padFinal: Boolean,
    /** The voice the client asked for, if any; the generator decides what it means. */
    public val voice: String?,
) {
    /** A description for logs. */
    override fun toString(): String = "SpeechRequest(${text.length} chars, $encoding, padFinal=$padFinal, voice=$voice)"
}

/** Produces audio for a request: called on a thread of its own, it puts into the streamer it is given. */
public fun interface SpeechGenerator {
    /**
     * Generates [request] into sample 0 of [streamer], then returns (the route then ends the sample
     * if the generator did not). It should stop when `streamer.isCancelled(0)` turns true; a thrown
     * exception becomes the stream's error message.
     */
    public fun generate(
        request: SpeechRequest,
        streamer: AsyncAudioStreamer,
    )
}

/**
 * The route's settings.
 *
 * Backpressure: each request gets an [AsyncAudioStreamer] of [capacity] chunks with [overflow].
 * The route sends frames as fast as the socket takes them; when a client reads slowly, Ktor's
 * outgoing queue and the TCP buffers fill, the route stops taking chunks, the streamer's queue
 * fills, and then [overflow] decides: [AudioOverflow.WAIT] blocks the generator until the client
 * reads again or leaves (the WebSockets plugin's ping and timeout settings close a dead
 * connection, which cancels the sample), the dropping choices drop chunks. Server memory per
 * client stays bounded either way.
 */
public class SpeechSocketConfig
    @JvmOverloads
    constructor(
        /** Sample frames per second of the generated audio. */
        public val sampleRate: Int = 24_000,
        /** Interleaved values per sample frame. */
        public val channels: Int = 1,
        /** The duration of one binary frame, in milliseconds. */
        public val frameMillis: Int = 20,
        /** The longest text accepted. */
        public val maxTextLength: Int = 2_000,
        /** The streamer's queue, in chunks. */
        public val capacity: Int = 16,
        /** What the streamer does when its queue is full. */
        public val overflow: AudioOverflow = AudioOverflow.WAIT,
        /**
         * How long the route waits for the generator's next chunk, in milliseconds; 0 for ever.
         * When it expires, the stream ends with an error message and close 1011, and the sample
         * is cancelled.
         */
        public val timeoutMillis: Long = 0,
    ) {
        init {
            require(sampleRate in 1..768_000) { "sampleRate must be in 1..768000, was $sampleRate" }
            require(channels >= 1) { "channels must be >= 1, was $channels" }
            require(frameMillis in 1..1_000) { "frameMillis must be in 1..1000, was $frameMillis" }
            require(sampleRate.toLong() * frameMillis >= 1_000) { "a frame of $frameMillis ms at $sampleRate Hz holds no sample" }
            require(maxTextLength >= 1) { "maxTextLength must be >= 1, was $maxTextLength" }
            require(capacity >= 1) { "capacity must be >= 1, was $capacity" }
            require(timeoutMillis >= 0) { "timeoutMillis must be >= 0 (0 for none), was $timeoutMillis" }
        }

        /** Sample frames per binary frame. */
        public val frameSamples: Int get() = (sampleRate.toLong() * frameMillis / 1_000).toInt()
    }

/**
 * Serves speech over a WebSocket at [path]: see the README's protocol. [generator] runs on a
 * thread of its own for each request; one request runs at a time per socket.
 *
 * Needs the `WebSockets` plugin installed in the application.
 */
public fun Route.speechSocket(
    path: String,
    config: SpeechSocketConfig = SpeechSocketConfig(),
    generator: SpeechGenerator,
) {
    webSocket(path) { SpeechSession(this, config, generator).run() }
}

/** Serves the browser player (index.html, player.js, worklet.js) under [path]. */
public fun Route.speechPage(path: String = "/") {
    staticResources(path, "dev/sluice/ktor/static")
}

/** Close codes and reasons the route uses. */
internal object Closes {
    val badJson = CloseReason(CloseReason.Codes.NOT_CONSISTENT, "bad request")
    val binary = CloseReason(CloseReason.Codes.CANNOT_ACCEPT, "binary frames are not accepted")
    val busy = CloseReason(CloseReason.Codes.VIOLATED_POLICY, "a request is already running")
    val tooBig = CloseReason(CloseReason.Codes.TOO_BIG, "text too long")
    val badRequest = CloseReason(CloseReason.Codes.VIOLATED_POLICY, "bad request")
    val failed = CloseReason(CloseReason.Codes.INTERNAL_ERROR, "generation failed")
    val ended = CloseReason(CloseReason.Codes.NORMAL, "end")
    val cancelled = CloseReason(CloseReason.Codes.NORMAL, "cancelled")
}

/** One socket: reads client messages, runs at most one stream, and sends the protocol. */
private class SpeechSession(
    private val session: DefaultWebSocketServerSession,
    private val config: SpeechSocketConfig,
    private val generator: SpeechGenerator,
) {
    private var stream: Job? = null

    /** True once the client asked to cancel: the stream then says "cancelled" before it closes. */
    @Volatile private var cancelAsked = false

    suspend fun run() {
        try {
            for (frame in session.incoming) {
                when (frame) {
                    is Frame.Text -> if (!onText(frame.readText())) return
                    is Frame.Binary -> return refuse("binary frames are not accepted", Closes.binary)
                    else -> Unit
                }
            }
        } finally {
            // The client left or the socket closed: a running stream is cancelled.
            stream?.cancel()
        }
    }

    /** Handles one text message; false when the session must end. */
    private suspend fun onText(text: String): Boolean {
        val message =
            try {
                Json.parseToJsonElement(text) as? JsonObject
            } catch (e: Exception) {
                null
            } ?: return refuse("the message is not a JSON object", Closes.badJson).let { false }
        when (val type = (message["type"] as? JsonPrimitive)?.contentOrNull) {
            "speak" -> {
                if (stream?.isActive == true) {
                    refuse("a request is already running on this socket", Closes.busy)
                    return false
                }
                val request = parse(message) ?: return false
                stream = session.launch { streamSpeech(request) }
            }
            "cancel" -> {
                cancelAsked = true
                stream?.cancel()
            }
            else -> {
                refuse("unknown message type ${type?.let { "'$it'" } ?: "(none)"}; expected 'speak' or 'cancel'", Closes.badJson)
                return false
            }
        }
        return true
    }

    /** The request in [message], or null after refusing it. */
    private suspend fun parse(message: JsonObject): SpeechRequest? {
        val text = (message["text"] as? JsonPrimitive)?.takeIf { it.isString }?.content
        if (text == null || text.isBlank()) {
            refuse("'text' must be a non-empty string", Closes.badRequest)
            return null
        }
        if (text.length > config.maxTextLength) {
            refuse("'text' has ${text.length} characters, more than ${config.maxTextLength}", Closes.tooBig)
            return null
        }
        val encodingName = (message["encoding"] as? JsonPrimitive)?.contentOrNull ?: WireEncoding.S16LE.wireName
        val encoding = WireEncoding.byWireName(encodingName)
        if (encoding == null) {
            refuse("'encoding' must be 's16le' or 'f32le', was '$encodingName'", Closes.badRequest)
            return null
        }
        val padFinal = message["padFinal"]?.jsonPrimitive?.booleanOrNull ?: false
        val voice = (message["voice"] as? JsonPrimitive)?.contentOrNull
        return SpeechRequest(text, encoding, padFinal, voice)
    }

    private suspend fun refuse(
        reason: String,
        close: CloseReason,
    ) {
        stream?.cancelAndJoin()
        sendJson(error(reason))
        session.close(close)
    }

    private suspend fun streamSpeech(request: SpeechRequest) {
        val timeout = if (config.timeoutMillis > 0) config.timeoutMillis.milliseconds else null
        val streamer = AsyncAudioStreamer(1, config.capacity, config.overflow, timeout, config.channels)
        var frames = 0L
        var samples = 0L
        var padding = 0L
        sendJson(
            buildJsonObject {
                put("type", "start")
                put("sampleRate", config.sampleRate)
                put("channels", config.channels)
                put("encoding", request.encoding.wireName)
                put("frameMillis", config.frameMillis)
                put("frameSamples", config.frameSamples)
            },
        )
        // The generator thread ends on its own: after end(), or once it sees the sample cancelled.
        thread(name = "sluice-speech-generator", isDaemon = true) {
            try {
                generator.generate(request, streamer)
                streamer.end()
            } catch (e: Throwable) {
                if (!streamer.isCancelled(0)) streamer.fail(e)
            }
        }
        try {
            streamer
                .stream(0)
                .reframe(FixedChunkPolicy(config.frameSamples), config.channels, request.padFinal)
                .collect { frame ->
                    if (frame.samples.isNotEmpty()) {
                        session.send(Frame.Binary(true, encode(frame, request.encoding)))
                        // Without a flush, Ktor (3.5, CIO) buffers frames for a client that reads
                        // nothing without bound; the flush waits until the socket took them.
                        session.flush()
                    }
                    frames++
                    samples += frame.newSize
                    padding += frame.paddingSize
                }
            sendJson(
                buildJsonObject {
                    put("type", "end")
                    put("frames", frames)
                    put("samples", samples)
                    put("paddingSamples", padding)
                    put("droppedChunks", streamer.droppedChunks(0))
                },
            )
            session.close(Closes.ended)
        } catch (e: CancellationException) {
            // Cancelled by a message or a departed client: the sample is cancelled (the flow's
            // consumer end closed); tell the client if it is still there.
            streamer.cancel(0)
            if (cancelAsked) {
                withContext(NonCancellable) {
                    runCatching {
                        sendJson(buildJsonObject { put("type", "cancelled") })
                        session.close(Closes.cancelled)
                    }
                }
            }
            throw e
        } catch (e: Throwable) {
            streamer.cancel(0)
            runCatching {
                sendJson(error("generation failed: ${e.message ?: e::class.simpleName}"))
                session.close(Closes.failed)
            }
        }
    }

    private fun error(reason: String) =
        buildJsonObject {
            put("type", "error")
            put("reason", reason)
        }

    private suspend fun sendJson(message: JsonObject) = session.send(Frame.Text(message.toString()))
}

/** The frame's values (context none; padding included) as little-endian PCM. */
internal fun encode(
    frame: AudioFrame,
    encoding: WireEncoding,
): ByteArray {
    val values = frame.samples
    val out = ByteBuffer.allocate(values.size * encoding.bytesPerValue).order(ByteOrder.LITTLE_ENDIAN)
    when (encoding) {
        WireEncoding.S16LE -> for (v in values) out.putShort(toPcm16(v))
        WireEncoding.F32LE -> for (v in values) out.putFloat(v)
    }
    return out.array()
}

/** Clamped to [-1, 1], scaled by 32767, rounded. */
internal fun toPcm16(value: Float): Short = Math.round(value.coerceIn(-1f, 1f) * Short.MAX_VALUE).toShort()

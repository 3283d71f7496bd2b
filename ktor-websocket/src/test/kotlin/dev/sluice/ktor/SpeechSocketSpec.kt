package dev.sluice.ktor

import dev.sluice.audio.AudioOverflow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.plugins.websocket.DefaultClientWebSocketSession
import io.ktor.client.plugins.websocket.webSocket
import io.ktor.websocket.CloseReason
import io.ktor.websocket.Frame
import io.ktor.websocket.close
import io.ktor.websocket.readBytes
import io.ktor.websocket.readText
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/** What a client saw on one socket. */
class Conversation(
    val texts: List<JsonObject>,
    val binaries: List<ByteArray>,
    val close: CloseReason?,
) {
    val pcm: ByteArray get() = ByteArrayOutputStream().also { out -> binaries.forEach(out::write) }.toByteArray()

    fun type(k: Int): String = texts[k]["type"]!!.jsonPrimitive.content
}

/** Sends [messages], then reads everything until the server closes; [during] may act mid-stream. */
fun TestServer.converse(
    vararg messages: Frame,
    during: suspend DefaultClientWebSocketSession.(binaries: Int) -> Unit = {},
): Conversation =
    runBlocking {
        val texts = mutableListOf<JsonObject>()
        val binaries = mutableListOf<ByteArray>()
        var close: CloseReason? = null
        withTimeout(60_000) {
            client.webSocket(host = "127.0.0.1", port = port, path = "/speech") {
                for (m in messages) send(m)
                for (frame in incoming) {
                    when (frame) {
                        is Frame.Text -> texts += Json.parseToJsonElement(frame.readText()).jsonObject
                        is Frame.Binary -> binaries += frame.readBytes()
                        else -> Unit
                    }
                    during(binaries.size)
                }
                close = closeReason.await()
            }
        }
        Conversation(texts, binaries, close)
    }

fun speak(
    text: String,
    encoding: String = "s16le",
    padFinal: Boolean = false,
) = Frame.Text("""{"type":"speak","text":${Json.encodeToString(text)},"encoding":"$encoding","padFinal":$padFinal}""")

/** A generator that puts [synthetic] audio for the text. */
val speech = SpeechGenerator { request, streamer -> putInBursts(streamer, synthetic(request.text)) }

/** A generator that would run for minutes: it puts until it sees the sample cancelled, then counts down. */
class Endless(
    private val pauseMillis: Long = 5,
) : SpeechGenerator {
    val stopped = CountDownLatch(1)
    val puts = AtomicLong()

    override fun generate(
        request: dev.sluice.ktor.SpeechRequest,
        streamer: dev.sluice.audio.AsyncAudioStreamer,
    ) {
        val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5)
        try {
            while (!streamer.isCancelled(0) && System.nanoTime() < deadline) {
                streamer.put(FloatArray(480) { 0.25f }, 0)
                puts.incrementAndGet()
                if (pauseMillis > 0) Thread.sleep(pauseMillis)
            }
        } finally {
            if (streamer.isCancelled(0)) stopped.countDown()
        }
    }
}

class SpeechSocketSpec :
    FunSpec({
        test("protocol: start, binary frames of 20 ms, end with the totals, close 1000; the PCM is exact s16le") {
            val text = "Every chunk once, in order."
            val audio = synthetic(text)
            TestServer(generator = speech).use { server ->
                val c = server.converse(speak(text))
                c.texts.map { it["type"]!!.jsonPrimitive.content } shouldContainExactly listOf("start", "end")
                val start = c.texts[0]
                start["sampleRate"]!!.jsonPrimitive.long shouldBe 24_000
                start["channels"]!!.jsonPrimitive.long shouldBe 1
                start["encoding"]!!.jsonPrimitive.content shouldBe "s16le"
                start["frameMillis"]!!.jsonPrimitive.long shouldBe 20
                start["frameSamples"]!!.jsonPrimitive.long shouldBe 480
                c.binaries.dropLast(1).forEach { it.size shouldBe 960 }
                c.pcm.toList() shouldBe s16le(audio).toList()
                val end = c.texts[1]
                end["samples"]!!.jsonPrimitive.long shouldBe audio.size.toLong()
                end["frames"]!!.jsonPrimitive.long shouldBe c.binaries.size.toLong()
                end["paddingSamples"]!!.jsonPrimitive.long shouldBe 0
                c.close shouldBe CloseReason(CloseReason.Codes.NORMAL, "end")
            }
        }

        test("f32le with padFinal: the last frame is padded to 20 ms, and the floats are exact") {
            val text = "Pad me."
            val audio = synthetic(text) // 2,100 samples: 4 frames and 180 more
            TestServer(generator = speech).use { server ->
                val c = server.converse(speak(text, encoding = "f32le", padFinal = true))
                c.binaries.forEach { it.size shouldBe 480 * 4 }
                val floats = ByteBuffer.wrap(c.pcm).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                val got = FloatArray(floats.remaining()).also { floats.get(it) }
                got.take(audio.size) shouldBe audio.toList()
                got.drop(audio.size).all { it == 0f } shouldBe true
                c.texts[1]["paddingSamples"]!!.jsonPrimitive.long shouldBe (5 * 480 - audio.size).toLong()
            }
        }

        test("a cancel message cancels the sample: the producer stops, the client gets 'cancelled' and close 1000") {
            val endless = Endless()
            TestServer(generator = endless).use { server ->
                var sent = false
                val c =
                    server.converse(speak("go on forever")) { binaries ->
                        if (binaries >= 5 && !sent) {
                            sent = true
                            send(Frame.Text("""{"type":"cancel"}"""))
                        }
                    }
                endless.stopped.await(10, TimeUnit.SECONDS) shouldBe true
                c.texts
                    .last()["type"]!!
                    .jsonPrimitive.content shouldBe "cancelled"
                c.close shouldBe CloseReason(CloseReason.Codes.NORMAL, "cancelled")
            }
        }

        test("a client that closes the socket cancels its sample, and the producer stops") {
            val endless = Endless()
            TestServer(generator = endless).use { server ->
                runBlocking {
                    server.client.webSocket(host = "127.0.0.1", port = server.port, path = "/speech") {
                        send(speak("go on forever"))
                        var frames = 0
                        for (frame in incoming) if (frame is Frame.Binary && ++frames == 5) break
                        close(CloseReason(CloseReason.Codes.GOING_AWAY, "bye"))
                    }
                }
                endless.stopped.await(10, TimeUnit.SECONDS) shouldBe true
            }
        }

        test("a stalled client: the producer is held back by the bounded queues, not buffered without bound") {
            val endless = Endless(pauseMillis = 0)
            TestServer(SpeechSocketConfig(capacity = 8, overflow = AudioOverflow.WAIT), endless).use { server ->
                // A raw client that sends its request and then never reads a byte.
                StalledClient(server.port).use { stalled ->
                    stalled.send("""{"type":"speak","text":"flood me"}""")
                    // The socket buffers, Ktor's outgoing queue and the streamer's 8 chunks fill,
                    // and then put() waits.
                    var last = -1L
                    var now = endless.puts.get()
                    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
                    while (now != last && System.nanoTime() < deadline) {
                        Thread.sleep(500)
                        last = now
                        now = endless.puts.get()
                    }
                    now shouldBe last
                    // 480-value chunks: what the buffers hold is a bounded number of them.
                    check(now < 20_000) { "$now chunks were taken for a client that reads nothing" }
                    println("stalled client: the producer stopped after $now chunks of 480 samples")
                }
                endless.stopped.await(10, TimeUnit.SECONDS) shouldBe true
            }
        }

        test("a generator that goes quiet for longer than timeoutMillis: error message, close 1011, the sample cancelled") {
            val stopped = CountDownLatch(1)
            val hanging =
                SpeechGenerator { _, streamer ->
                    streamer.put(FloatArray(480), 0)
                    while (!streamer.isCancelled(0)) Thread.sleep(10)
                    stopped.countDown()
                }
            TestServer(SpeechSocketConfig(timeoutMillis = 300), hanging).use { server ->
                val c = server.converse(speak("then silence"))
                c.binaries.size shouldBe 1
                c.texts
                    .last()["type"]!!
                    .jsonPrimitive.content shouldBe "error"
                c.texts
                    .last()["reason"]!!
                    .jsonPrimitive.content shouldContain "generation failed"
                c.close?.code shouldBe CloseReason.Codes.INTERNAL_ERROR.code
                stopped.await(10, TimeUnit.SECONDS) shouldBe true
            }
        }

        context("bad input gets an error message and a close code; the server keeps serving") {
            val cases =
                listOf(
                    Triple("bad JSON", listOf(Frame.Text("{not json")), CloseReason.Codes.NOT_CONSISTENT to "not a JSON object"),
                    Triple(
                        "an unknown type",
                        listOf(Frame.Text("""{"type":"sing"}""")),
                        CloseReason.Codes.NOT_CONSISTENT to "unknown message type 'sing'",
                    ),
                    Triple("an empty text", listOf(speak("")), CloseReason.Codes.VIOLATED_POLICY to "'text' must be a non-empty string"),
                    Triple(
                        "an oversized text",
                        listOf(speak("x".repeat(2_001))),
                        CloseReason.Codes.TOO_BIG to "'text' has 2001 characters, more than 2000",
                    ),
                    Triple(
                        "a bad encoding",
                        listOf(speak("hi", encoding = "mp3")),
                        CloseReason.Codes.VIOLATED_POLICY to "'encoding' must be",
                    ),
                    Triple(
                        "binary data",
                        listOf(Frame.Binary(true, byteArrayOf(1, 2, 3))),
                        CloseReason.Codes.CANNOT_ACCEPT to "binary frames are not accepted",
                    ),
                    Triple(
                        "a second request while one runs",
                        listOf(speak("go on forever"), speak("and this")),
                        CloseReason.Codes.VIOLATED_POLICY to "already running",
                    ),
                )
            val endless = Endless()
            TestServer(generator = endless).use { server ->
                for ((name, messages, expected) in cases) {
                    val c = server.converse(*messages.toTypedArray())
                    val error = c.texts.last()
                    error["type"]!!.jsonPrimitive.content shouldBe "error"
                    error["reason"]!!.jsonPrimitive.content shouldContain expected.second
                    c.close?.code shouldBe expected.first.code
                    check(c.close != null) { name }
                }
                // A second request while one runs: refused, and the running one is cancelled.
                var sent = false
                val c =
                    server.converse(speak("go on forever")) { binaries ->
                        if (binaries >= 2 && !sent) {
                            sent = true
                            send(speak("and this"))
                        }
                    }
                c.texts
                    .last()["reason"]!!
                    .jsonPrimitive.content shouldContain "already running"
                c.close?.code shouldBe CloseReason.Codes.VIOLATED_POLICY.code
                endless.stopped.await(10, TimeUnit.SECONDS) shouldBe true
            }
            TestServer(generator = speech).use { server ->
                server.converse(Frame.Text("{oops")).close?.code shouldBe CloseReason.Codes.NOT_CONSISTENT.code
                server.converse(speak("still here")).pcm.toList() shouldBe s16le(synthetic("still here")).toList()
            }
        }

        test("a generator that throws ends the stream with an error message and close 1011") {
            val failing =
                SpeechGenerator { _, streamer ->
                    streamer.put(FloatArray(480), 0)
                    throw IllegalStateException("the model ran out of memory")
                }
            TestServer(generator = failing).use { server ->
                val c = server.converse(speak("fail"))
                c.texts
                    .last()["type"]!!
                    .jsonPrimitive.content shouldBe "error"
                c.texts
                    .last()["reason"]!!
                    .jsonPrimitive.content shouldBe "generation failed: the model ran out of memory"
                c.close?.code shouldBe CloseReason.Codes.INTERNAL_ERROR.code
            }
        }

        test("the page and its scripts are served") {
            TestServer(generator = speech).use { server ->
                for (file in listOf("index.html", "player.js", "worklet.js")) {
                    val body =
                        java.net
                            .URI("http://127.0.0.1:${server.port}/$file")
                            .toURL()
                            .readText()
                    check(body.length > 100) { "$file is ${body.length} characters" }
                }
            }
        }

        test("bad configuration is rejected, naming the value") {
            io.kotest.assertions.throwables
                .shouldThrow<IllegalArgumentException> { SpeechSocketConfig(frameMillis = 0) }
                .message shouldBe
                "frameMillis must be in 1..1000, was 0"
            io.kotest.assertions.throwables
                .shouldThrow<IllegalArgumentException> { SpeechSocketConfig(capacity = 0) }
                .message shouldBe
                "capacity must be >= 1, was 0"
            io.kotest.assertions.throwables
                .shouldThrow<IllegalArgumentException> {
                    SpeechSocketConfig(
                        timeoutMillis = -1,
                    )
                }.message shouldBe
                "timeoutMillis must be >= 0 (0 for none), was -1"
            SpeechSocketConfig(sampleRate = 16_000, frameMillis = 10).frameSamples shouldBe 160
        }

        test("the README's server streams what its model makes") {
            val server =
                dev.sluice.ktor.samples
                    .speechServer(0)
            try {
                val port =
                    runBlocking {
                        server.engine
                            .resolvedConnectors()
                            .first()
                            .port
                    }
                val client =
                    io.ktor.client.HttpClient(
                        io.ktor.client.engine.cio.CIO,
                    ) { install(io.ktor.client.plugins.websocket.WebSockets) }
                val bytes =
                    runBlocking {
                        val out = ByteArrayOutputStream()
                        client.webSocket(host = "127.0.0.1", port = port, path = "/speech") {
                            send(speak("four"))
                            for (frame in incoming) if (frame is Frame.Binary) out.write(frame.readBytes())
                        }
                        out.toByteArray()
                    }
                client.close()
                bytes.size shouldBe 4 * 2_400 * 2
            } finally {
                server.stop(100, 1_000)
            }
        }
    })

package dev.sluice.examples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.runBlocking
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.net.URI
import java.net.http.HttpClient
import java.net.http.WebSocket
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.concurrent.TimeUnit

class ServeSpec :
    FunSpec({
        test("the demo's server streams the synthetic engine's speech over the socket, exactly as an offline decode") {
            val server = startSpeechServer(0)
            try {
                val port =
                    runBlocking {
                        server.engine
                            .resolvedConnectors()
                            .first()
                            .port
                    }
                val text = "Hi Sluice"
                val pcm = ByteArrayOutputStream()
                val texts = mutableListOf<String>()
                val closed = CompletableFuture<Int>()
                val listener =
                    object : WebSocket.Listener {
                        override fun onBinary(
                            ws: WebSocket,
                            data: ByteBuffer,
                            last: Boolean,
                        ): CompletionStage<*>? {
                            val bytes = ByteArray(data.remaining()).also { data.get(it) }
                            synchronized(pcm) { pcm.write(bytes) }
                            ws.request(1)
                            return null
                        }

                        override fun onText(
                            ws: WebSocket,
                            data: CharSequence,
                            last: Boolean,
                        ): CompletionStage<*>? {
                            texts += data.toString()
                            ws.request(1)
                            return null
                        }

                        override fun onClose(
                            ws: WebSocket,
                            statusCode: Int,
                            reason: String,
                        ): CompletionStage<*>? {
                            closed.complete(statusCode)
                            return null
                        }
                    }
                val ws =
                    HttpClient
                        .newHttpClient()
                        .newWebSocketBuilder()
                        .buildAsync(
                            URI("ws://127.0.0.1:$port/speech"),
                            listener,
                        ).get(10, TimeUnit.SECONDS)
                ws.sendText("""{"type":"speak","text":"$text"}""", true).get(10, TimeUnit.SECONDS)
                closed.get(30, TimeUnit.SECONDS) shouldBe 1000
                texts.first() shouldContain "\"type\":\"start\""
                texts.last() shouldContain "\"type\":\"end\""

                val offline = CausalVocoder(receptive = 2).decode(Talker.frames(text), 0)
                val expected = ByteBuffer.allocate(offline.size * 2).order(ByteOrder.LITTLE_ENDIAN)
                for (v in offline) expected.putShort(Math.round(v.coerceIn(-1f, 1f) * Short.MAX_VALUE).toShort())
                pcm.toByteArray().toList() shouldBe expected.array().toList()
            } finally {
                server.stop(100, 1_000)
            }
        }

        test("--serve takes only --port N") {
            val err = ByteArrayOutputStream()
            runMain(listOf("--serve", "--port", "x"), PrintStream(ByteArrayOutputStream()), PrintStream(err)) shouldBe 2
            err.toString() shouldContain "--serve takes only --port N (0 to 65535), was --port x"
        }
    })

package dev.sluice.grpc

import dev.sluice.buffer.SlidingWindowChunkPolicy
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.io.File
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** How many times each fault runs: once in `mvn verify`, many with -Dsluice.stress=long. */
private val rounds = if (System.getProperty("sluice.stress") == "long") 25 else 1

class EdgeFaultSpec :
    FunSpec({
        test("a TCP proxy resets the connection mid-stream: every item arrives once, in order") {
            repeat(rounds) { round ->
                val receiver = EdgeReceiver(EdgeCodec.INT, { SlidingWindowChunkPolicy(28, 7) })
                val server = nettyServer(0, receiver)
                CuttingProxy(server.port).use { proxy ->
                    val channel = nettyChannel(proxy.port)
                    try {
                        runBlocking(Dispatchers.Default) {
                            val key = EdgeKey("req-$round", "talker->vocoder", 0)
                            val seen = AtomicInteger()
                            val chunks =
                                async {
                                    receiver
                                        .chunks(key)
                                        .onEach { c ->
                                            // Cut twice while items flow: after 500 and after 2,000 items.
                                            val before = seen.get()
                                            val after = seen.addAndGet(c.newItems.size)
                                            if (before < 500 && after >= 500) proxy.cut()
                                            if (before < 2_000 && after >= 2_000) proxy.cut()
                                        }.toList()
                                }
                            val sender = EdgeSender(channel, key, EdgeCodec.INT, window = 64, resumeWindowMillis = 20_000)
                            withTimeout(60_000) {
                                repeat(4_000) { sender.append(it) }
                                sender.done()
                            }
                            val got = withTimeout(30_000) { chunks.await() }
                            got.flatMap { it.newItems } shouldBe (0 until 4_000).toList()
                            got.count { it.isFinal } shouldBe 1
                            proxy.cuts shouldBe 2
                            (sender.connections >= 2) shouldBe true
                        }
                    } finally {
                        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                    }
                }
            }
        }

        test("the server restarts on the same port: the stream resumes, every item once, in order") {
            repeat(rounds) { round ->
                val receiver = EdgeReceiver(EdgeCodec.INT, { SlidingWindowChunkPolicy(28, 7) })
                var server = nettyServer(0, receiver)
                val port = server.port
                val channel = nettyChannel(port)
                try {
                    runBlocking(Dispatchers.Default) {
                        val key = EdgeKey("restart-$round", "e", 1)
                        val seen = AtomicInteger()
                        val restarted = kotlinx.coroutines.CompletableDeferred<Unit>()
                        val chunks =
                            async {
                                receiver
                                    .chunks(key)
                                    .onEach { c ->
                                        val before = seen.get()
                                        if (before < 1_000 && seen.addAndGet(c.newItems.size) >= 1_000) {
                                            launch(Dispatchers.IO) {
                                                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                                                server = nettyServer(port, receiver) // same port, same receiver state
                                                restarted.complete(Unit)
                                            }
                                        } else if (before >= 1_000) {
                                            seen.addAndGet(c.newItems.size)
                                        }
                                    }.toList()
                            }
                        val sender = EdgeSender(channel, key, EdgeCodec.INT, window = 32, resumeWindowMillis = 20_000)
                        withTimeout(60_000) {
                            repeat(3_000) { sender.append(it) }
                            sender.done()
                        }
                        val got = withTimeout(30_000) { chunks.await() }
                        restarted.isCompleted shouldBe true
                        got.flatMap { it.newItems } shouldBe (0 until 3_000).toList()
                        got.count { it.isFinal } shouldBe 1
                        (sender.connections >= 2) shouldBe true
                    }
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                }
            }
        }

        test("the consumer process is killed mid-stream: the producer gets a typed error in bounded time") {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val child =
                ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildConsumer::class.java.name)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start()
            val lines = child.inputStream.bufferedReader()
            try {
                val port = lines.readLine()!!.removePrefix("port ").toInt()
                val channel = nettyChannel(port)
                runBlocking(Dispatchers.Default) {
                    val sender = EdgeSender(channel, EdgeKey("req-kill", "e", 0), EdgeCodec.INT, window = 64, resumeWindowMillis = 2_000)
                    val killer =
                        launch(Dispatchers.IO) {
                            while (true) {
                                val line = lines.readLine() ?: break
                                if (line.startsWith("applied ") && line.removePrefix("applied ").toInt() >= 300) break
                            }
                            child.destroyForcibly()
                        }
                    val started = System.nanoTime()
                    val error =
                        withTimeout(30_000) {
                            runCatching {
                                var i = 0
                                while (true) sender.append(i++)
                            }.exceptionOrNull()
                        }
                    val seconds = (System.nanoTime() - started) / 1e9
                    killer.join()
                    (error is EdgeDisconnectedException) shouldBe true
                    println("EdgeFaultSpec: the producer saw ${error!!::class.simpleName} after $seconds s: ${error.message}")
                    (seconds < 30) shouldBe true
                }
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
            }
        }
    })

package dev.sluice.ktor

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.websocket.WebSockets
import io.ktor.client.plugins.websocket.webSocket
import io.ktor.websocket.Frame
import io.ktor.websocket.readBytes
import io.ktor.websocket.readText
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.io.ByteArrayOutputStream
import java.lang.management.ManagementFactory
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.random.Random

/** 50 clients in `mvn verify`; -Dsluice.stress=long runs 500. */
private val clients = if (System.getProperty("sluice.stress") == "long") 500 else 50

/**
 * Underruns a player would have had: it starts 60 ms after the first frame (the page's jitter
 * buffer) and plays a 20 ms frame after another; each run of late frames counts once.
 */
private fun underruns(arrivals: List<Long>): Int {
    if (arrivals.isEmpty()) return 0
    var start = arrivals[0] + 60_000_000L
    var count = 0
    var late = false
    for ((k, t) in arrivals.withIndex()) {
        val deadline = start + k * 20_000_000L
        if (t > deadline) {
            if (!late) count++
            late = true
            start += t - deadline // the player waits for it, then goes on
        } else {
            late = false
        }
    }
    return count
}

class LoadSpec :
    FunSpec({
        test(
            "$clients concurrent clients on loopback, real-time paced, a third cancelling: exact audio, stopped producers, bounded threads and heap",
        ) {
            val threads = ManagementFactory.getThreadMXBean()
            val baselineThreads = threads.threadCount
            val stopped = ConcurrentHashMap<String, CountDownLatch>()
            val outcome = ConcurrentHashMap<String, String>()
            val underruns =
                java.util.concurrent.atomic
                    .AtomicInteger()
            // About three seconds of speech per client, put in bursts of 100 ms at real time.
            val generator =
                SpeechGenerator { request, streamer ->
                    try {
                        putInBursts(streamer, synthetic(request.text), burst = 2_400, pauseMillis = 100)
                    } finally {
                        outcome[request.text] = if (streamer.isCancelled(0)) "cancelled" else "completed"
                        stopped.getValue(request.text).countDown()
                    }
                }
            var peakHeap = 0L
            var peakThreads = 0
            TestServer(generator = generator).use { server ->
                val random = Random(42)
                val plans =
                    List(clients) { k ->
                        "client $k says hello, streaming speech in real time over a loopback socket. ".repeat(3).trim() to
                            (random.nextInt(3) == 0)
                    }
                plans.forEach { (text, _) -> stopped[text] = CountDownLatch(1) }
                val sampler =
                    Thread {
                        val memory = ManagementFactory.getMemoryMXBean()
                        while (!Thread.currentThread().isInterrupted) {
                            peakHeap = maxOf(peakHeap, memory.heapMemoryUsage.used)
                            peakThreads = maxOf(peakThreads, threads.threadCount)
                            try {
                                Thread.sleep(20)
                            } catch (e: InterruptedException) {
                                return@Thread
                            }
                        }
                    }.apply { start() }
                // A Ktor client keeps at most 100 connections to one host: one client per 50 sockets.
                val pool = List((clients + 49) / 50) { HttpClient(CIO) { install(WebSockets) } }
                val results =
                    // Dispatchers.IO: the Ktor client draws each handshake's nonce with runBlocking,
                    // which starves Dispatchers.Default's two threads here when many clients connect.
                    runBlocking(Dispatchers.IO) {
                        withTimeout(120_000) {
                            plans
                                .map { (text, cancels) ->
                                    async {
                                        val pcm = ByteArrayOutputStream()
                                        var last = ""
                                        var frames = 0
                                        val arrivals = mutableListOf<Long>()
                                        pool[plans.indexOfFirst { it.first == text } % pool.size].webSocket(
                                            host = "127.0.0.1",
                                            port = server.port,
                                            path = "/speech",
                                        ) {
                                            send(speak(text))
                                            for (frame in incoming) {
                                                when (frame) {
                                                    is Frame.Binary -> {
                                                        arrivals += System.nanoTime()
                                                        pcm.write(frame.readBytes())
                                                        if (cancels && ++frames == 10) send(Frame.Text("""{"type":"cancel"}"""))
                                                    }
                                                    is Frame.Text -> last = frame.readText()
                                                    else -> Unit
                                                }
                                            }
                                        }
                                        underruns.addAndGet(underruns(arrivals))
                                        Triple(text, cancels, pcm.toByteArray() to last)
                                    }
                                }.awaitAll()
                        }
                    }
                pool.forEach { it.close() }
                sampler.interrupt()
                sampler.join()
                var exact = 0
                var cancelled = 0
                var lateCancels = 0
                for ((text, cancels, got) in results) {
                    val (pcm, last) = got
                    if (cancels) {
                        check(last.contains("\"cancelled\"")) { "$text: last message $last" }
                        // Its producer stopped: cancelled mid-way, or (under load) done before the cancel came.
                        stopped.getValue(text).await(10, TimeUnit.SECONDS) shouldBe true
                        if (outcome[text] == "cancelled") cancelled++ else lateCancels++
                    } else {
                        check(last.contains("\"end\"")) { "$text: last message $last" }
                        pcm.toList() shouldBe s16le(synthetic(text)).toList()
                        exact++
                    }
                }
                check(cancelled > 0) { "no producer was cancelled mid-stream" }
                println(
                    "load: $clients clients, $exact exact, $cancelled producers cancelled mid-stream, $lateCancels cancels after " +
                        "the producer finished; ${underruns.get()} underruns; peak heap ${peakHeap shr 20} MiB, " +
                        "peak threads $peakThreads (baseline $baselineThreads)",
                )
                // One generator thread per client at most, plus the server's and the client's pools.
                check(peakThreads < baselineThreads + clients + 200) { "peak threads $peakThreads" }
            }

            // Every generator thread ended (idle pool threads of Dispatchers.IO and Ktor may stay).
            fun generators() = Thread.getAllStackTraces().keys.count { it.name == "sluice-speech-generator" }
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
            while (generators() > 0 && System.nanoTime() < deadline) Thread.sleep(50)
            generators() shouldBe 0
        }
    })

package dev.sluice.grpc

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioChunkEvictedException
import dev.sluice.audio.AudioReplay
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import io.grpc.Status
import io.grpc.StatusException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

private fun chunk(i: Int) = FloatArray(240) { k -> i + k / 1000f }

class AudioSpec :
    FunSpec({
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        afterSpec { scope.cancel() }

        test("a client that takes 3 chunks and stops cancels the producer; its listener fires") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 4)
            val server = AudioServer().apply { publish("tts", AudioReplay(streamer, scope)) }
            InProcess(server).use { net ->
                val cancelled = CountDownLatch(1)
                streamer.addCancellationListener { cancelled.countDown() }
                val producer =
                    thread {
                        var i = 0
                        while (!streamer.isCancelled(0)) streamer.put(chunk(i++), 0)
                    }
                val got = runBlocking { withTimeout(10_000) { RemoteAudio(net.channel).stream("tts", 0).take(3).toList() } }
                got.map { it.index } shouldBe listOf(0L, 1L, 2L)
                cancelled.await(10, TimeUnit.SECONDS) shouldBe true
                producer.join(10_000)
                producer.isAlive shouldBe false
            }
        }

        test("a client whose connection drops reconnects and misses nothing; reframe works on remote audio") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 8)
            val server = AudioServer().apply { publish("tts", AudioReplay(streamer, scope, capacity = 32)) }
            val netty = nettyServer(0, server)
            CuttingProxy(netty.port).use { proxy ->
                val channel = nettyChannel(proxy.port)
                try {
                    thread {
                        repeat(400) { streamer.put(chunk(it), 0) }
                        streamer.end()
                    }
                    val remote = RemoteAudio(channel, initialBackoffMillis = 10)
                    val seen = AtomicInteger()
                    val frames =
                        runBlocking(Dispatchers.Default) {
                            withTimeout(30_000) {
                                remote
                                    .stream("tts", 0)
                                    .onEach {
                                        if (seen.incrementAndGet() % 100 == 50) proxy.cut() // three drops
                                        it.index shouldBe seen.get() - 1L // every chunk once, in order
                                    }.reframe(FixedChunkPolicy(480))
                                    .toList()
                            }
                        }
                    seen.get() shouldBe 400
                    proxy.cuts shouldBe 4
                    (remote.calls >= 2) shouldBe true
                    frames.sumOf { it.newSize } shouldBe 400 * 240
                    frames.filter { it.newSize > 0 }.first().samples[0] shouldBe 0f
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                    netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                }
            }
        }

        test("a resume point already evicted gets AudioChunkEvictedException; an unknown stream NOT_FOUND") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 4)
            val server = AudioServer().apply { publish("tts", AudioReplay(streamer, scope, capacity = 4)) }
            InProcess(server).use { net ->
                thread {
                    repeat(20) { streamer.put(chunk(it), 0) }
                    streamer.end()
                }
                val remote = RemoteAudio(net.channel)
                runBlocking {
                    withTimeout(10_000) { remote.stream("tts", 0).toList() }.size shouldBe 20
                    val e = shouldThrow<AudioChunkEvictedException> { remote.stream("tts", 0, fromIndex = 5).toList() }
                    e.requestedIndex shouldBe 5
                    e.lastEvictedIndex shouldBe 15
                    remote.stream("tts", 0, fromIndex = 16).toList().map { it.index } shouldBe listOf(16L, 17L, 18L, 19L)
                    shouldThrow<StatusException> { remote.stream("nope", 0).toList() }.status.code shouldBe Status.Code.NOT_FOUND
                    shouldThrow<StatusException> { remote.stream("tts", 3).toList() }.status.code shouldBe Status.Code.INVALID_ARGUMENT
                }
            }
        }

        test("a producer failure reaches the remote client, typed as ABORTED with its message") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 4)
            val server = AudioServer().apply { publish("tts", AudioReplay(streamer, scope)) }
            InProcess(server).use { net ->
                streamer.put(chunk(0), 0)
                streamer.fail(IllegalStateException("the vocoder crashed"))
                val got = mutableListOf<Long>()
                val e =
                    runBlocking {
                        shouldThrow<StatusException> { RemoteAudio(net.channel).stream("tts", 0).collect { got += it.index } }
                    }
                got shouldBe listOf(0L)
                e.status.code shouldBe Status.Code.ABORTED
                e.status.description shouldBe "the vocoder crashed"
            }
        }

        test("flow control chains: a slow remote client makes the producer wait; nothing is lost") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 2)
            val server = AudioServer().apply { publish("tts", AudioReplay(streamer, scope, capacity = 4)) }
            val netty = nettyServer(0, server)
            val channel = nettyChannel(netty.port)
            try {
                val put = AtomicInteger()
                val producer =
                    thread {
                        repeat(200) {
                            streamer.put(chunk(it), 0)
                            put.incrementAndGet()
                        }
                        streamer.end()
                    }
                val got =
                    runBlocking(Dispatchers.Default) {
                        withTimeout(30_000) {
                            val stalled = AtomicInteger(-1)
                            val chunks =
                                RemoteAudio(channel)
                                    .stream("tts", 0)
                                    .onEach {
                                        if (it.index == 0L) {
                                            kotlinx.coroutines.delay(500) // a client that stops reading for a while
                                            stalled.set(put.get())
                                        }
                                    }.toList()
                            // While the client held chunk 0: its replay window (4) and the streamer's queue (2),
                            // plus a chunk in the pump's hand, a chunk in the producer's: nothing ran ahead.
                            (stalled.get() <= 1 + 4 + 2 + 2) shouldBe true
                            chunks
                        }
                    }
                producer.join(10_000)
                got.map { it.index } shouldBe (0L until 200L).toList()
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
                netty.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
            }
        }
    })

package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

private fun chunk(i: Int) = floatArrayOf(i.toFloat(), i + 0.5f)

private fun withReplay(
    batch: Int = 1,
    streamerCapacity: Int = 64,
    capacity: Int = 64,
    resumeWindowMillis: Long = 30_000,
    body: suspend (AsyncAudioStreamer, AudioReplay) -> Unit,
) {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val streamer = AsyncAudioStreamer(batchSize = batch, capacity = streamerCapacity)
    try {
        runBlocking(
            Dispatchers.Default,
        ) { withTimeout(30_000) { body(streamer, AudioReplay(streamer, scope, capacity, resumeWindowMillis)) } }
    } finally {
        scope.cancel()
    }
}

class AudioReplaySpec :
    FunSpec({
        test("a client gets every chunk once, in order, and the flow completes after the end") {
            withReplay { streamer, replay ->
                thread {
                    repeat(10) { streamer.put(chunk(it), 0) }
                    streamer.end()
                }
                val got = replay.chunks(0).toList()
                got.map { it.index } shouldBe (0L until 10L).toList()
                got.map { it.samples.toList() } shouldBe (0 until 10).map { chunk(it).toList() }
            }
        }

        test("a client that stops and comes back with the next index it needs misses nothing") {
            withReplay(capacity = 8) { streamer, replay ->
                thread {
                    repeat(30) { streamer.put(chunk(it), 0) }
                    streamer.end()
                }
                val seen = mutableListOf<Long>()
                while (true) {
                    val next = (seen.lastOrNull() ?: -1L) + 1
                    val part = replay.chunks(0, next).take(4).toList() // a dropped connection after 4 chunks
                    seen += part.map { it.index }
                    if (part.size < 4) break
                }
                seen shouldBe (0L until 30L).toList()
                streamer.isCancelled(0) shouldBe false // disconnected is not cancelled
            }
        }

        test("a resume point already evicted gets AudioChunkEvictedException") {
            withReplay(capacity = 4) { streamer, replay ->
                thread {
                    repeat(12) { streamer.put(chunk(it), 0) }
                    streamer.end()
                }
                replay.chunks(0).toList().size shouldBe 12
                replay.retainedChunks(0) shouldBe 4
                val e = shouldThrow<AudioChunkEvictedException> { replay.chunks(0, 3).toList() }
                e.requestedIndex shouldBe 3
                e.lastEvictedIndex shouldBe 7
                replay.chunks(0, 8).toList().map { it.index } shouldBe listOf(8L, 9L, 10L, 11L)
            }
        }

        test("an explicit cancel cancels the producer at once; a reading client gets AudioSampleCancelledException") {
            withReplay { streamer, replay ->
                val cancelled = CountDownLatch(1)
                streamer.addCancellationListener { cancelled.countDown() }
                streamer.put(chunk(0), 0)
                val first = replay.chunks(0).take(1).toList()
                first.single().index shouldBe 0
                replay.cancel(0)
                cancelled.await(10, TimeUnit.SECONDS) shouldBe true
                streamer.isCancelled(0) shouldBe true
                shouldThrow<AudioSampleCancelledException> { replay.chunks(0, 1).toList() }
            }
        }

        test("a client that does not come back within the resume window cancels the sample") {
            withReplay(resumeWindowMillis = 200) { streamer, replay ->
                val cancelled = CountDownLatch(1)
                streamer.addCancellationListener { cancelled.countDown() }
                streamer.put(chunk(0), 0)
                replay.chunks(0).take(1).toList()
                streamer.isCancelled(0) shouldBe false
                cancelled.await(10, TimeUnit.SECONDS) shouldBe true // a bounded wait, far above 200 ms
            }
        }

        test("a sample that no client ever asks for is cancelled when the window expires") {
            withReplay(batch = 2, resumeWindowMillis = 200) { streamer, _ ->
                val cancelled = CountDownLatch(2)
                streamer.addCancellationListener { cancelled.countDown() }
                cancelled.await(10, TimeUnit.SECONDS) shouldBe true
            }
        }

        test("a slow client backs up into the streamer's bounded queue: the producer waits") {
            withReplay(streamerCapacity = 2, capacity = 4) { streamer, replay ->
                val put = AtomicInteger()
                val producer =
                    thread {
                        repeat(100) {
                            streamer.put(chunk(it), 0)
                            put.incrementAndGet()
                        }
                        streamer.end()
                    }
                val first = replay.chunks(0).take(1).toList() // starts the pump, then stops reading
                first.single().index shouldBe 0
                delay(300)
                (put.get() <= 1 + 4 + 2 + 1) shouldBe true // one sent, the window, the queue, one in the pump's hand
                producer.isAlive shouldBe true
                replay.chunks(0, 1).toList().map { it.index } shouldBe (1L until 100L).toList()
                producer.join(10_000)
            }
        }

        test("a producer failure reaches the client after the chunks already taken") {
            withReplay { streamer, replay ->
                streamer.put(chunk(0), 0)
                streamer.put(chunk(1), 0)
                streamer.fail(IllegalStateException("the model crashed"))
                val got = mutableListOf<Long>()
                val e = shouldThrow<IllegalStateException> { replay.chunks(0).collect { got += it.index } }
                e.message shouldBe "the model crashed"
                got shouldBe listOf(0L, 1L)
            }
        }

        test("a new client of a sample replaces the old one: the old flow ends, the new one gets every chunk") {
            withReplay { streamer, replay ->
                coroutineScope {
                    repeat(3) { streamer.put(chunk(it), 0) }
                    val old = java.util.Collections.synchronizedList(mutableListOf<Long>())
                    val oldDone = kotlinx.coroutines.CompletableDeferred<Unit>()
                    val oldJob =
                        launch(Dispatchers.Default) {
                            replay.chunks(0).collect { old += it.index }
                            oldDone.complete(Unit) // ended without an error: replaced
                        }
                    while (old.size < 3) delay(1)
                    // A reconnect that the server sees before it notices the old connection died.
                    val newer = async(Dispatchers.Default) { replay.chunks(0, 1).toList().map { it.index } }
                    oldDone.await()
                    thread {
                        repeat(2) { streamer.put(chunk(3 + it), 0) }
                        streamer.end()
                    }
                    newer.await() shouldBe listOf(1L, 2L, 3L, 4L)
                    old shouldBe listOf(0L, 1L, 2L)
                    oldJob.join()
                    streamer.isCancelled(0) shouldBe false
                }
            }
        }

        test("acknowledging frees the window only forward: a lower acknowledgement changes nothing") {
            withReplay(capacity = 2, streamerCapacity = 1) { streamer, replay ->
                coroutineScope {
                    val producer =
                        thread {
                            repeat(6) { streamer.put(chunk(it), 0) }
                            streamer.end()
                        }
                    val got = java.util.Collections.synchronizedList(mutableListOf<Long>())
                    // A network client: nothing is acknowledged by the flow, only by acknowledge().
                    val reader =
                        async(Dispatchers.Default) { replay.chunks(0, acknowledgeOnEmit = false).collect { got += it.index } }
                    while (got.size < 2) delay(1)
                    delay(100)
                    got.toList() shouldBe listOf(0L, 1L) // the window (2) is full of chunks not acknowledged
                    replay.acknowledge(0, 1)
                    replay.acknowledge(0, 0) // lower: no effect
                    while (got.size < 4) delay(1)
                    replay.acknowledge(0, 5)
                    reader.await()
                    got.toList() shouldBe (0L until 6L).toList()
                    producer.join(10_000)
                    shouldThrow<IllegalArgumentException> { replay.acknowledge(1, 0) }
                    shouldThrow<IllegalArgumentException> { replay.retainedChunks(-1) }
                }
            }
        }

        test("bad arguments are rejected at once") {
            withReplay(batch = 2) { streamer, replay ->
                shouldThrow<IllegalArgumentException> { replay.chunks(2) }
                shouldThrow<IllegalArgumentException> { replay.chunks(0, -1) }
                shouldThrow<IllegalArgumentException> { replay.cancel(-1) }
                shouldThrow<IllegalArgumentException> { AudioReplay(streamer, CoroutineScope(Dispatchers.Default), capacity = 0) }
                shouldThrow<IllegalArgumentException> {
                    AudioReplay(
                        streamer,
                        CoroutineScope(Dispatchers.Default),
                        resumeWindowMillis = -1,
                    )
                }
            }
        }
    })

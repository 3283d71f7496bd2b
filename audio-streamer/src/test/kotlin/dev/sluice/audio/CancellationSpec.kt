package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.onStart
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.job
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread

private fun liveNonDaemonThreadIds(): Set<Long> =
    Thread
        .getAllStackTraces()
        .keys
        .filter { it.isAlive && !it.isDaemon }
        .map { it.id }
        .toSet()

class CancellationSpec :
    FunSpec({
        test("a consumer that stops collecting cancels its sample: isCancelled, the listener, later chunks dropped, others go on") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val heard = CopyOnWriteArrayList<Int>()
                streamer.addCancellationListener { heard += it }
                streamer.put(listOf(chunk(1f), chunk(2f), chunk(3f), chunk(9f)), intArrayOf(0, 0, 0, 1))
                streamer
                    .stream(0)
                    .take(1)
                    .toList()
                    .size shouldBe 1
                streamer.isCancelled(0) shouldBe true
                heard shouldBe listOf(0)
                streamer.droppedChunks(0) shouldBe 2 // the two still queued
                streamer.put(listOf(chunk(4f), chunk(10f)), intArrayOf(0, 1))
                streamer.droppedChunks(0) shouldBe 3
                streamer.queuedChunks shouldBe 2
                streamer.isCancelled(1) shouldBe false
                streamer.end()
                streamer.stream(1).toList().map { it.samples[0] } shouldBe listOf(9f, 10f)
                heard shouldBe listOf(0)
            }
        }

        test("cancelling the collecting coroutine cancels the sample") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val job = launch { streamer.stream(0).collect() }
                runCurrent()
                streamer.isCancelled(0) shouldBe false
                job.cancelAndJoin()
                streamer.isCancelled(0) shouldBe true
            }
        }

        test("a stream consumer waiting on a thread pool is woken by a cancellation from another thread") {
            // Its waits are not cancellable one by one: the consumer's cancellation must wake it.
            val streamer = AsyncAudioStreamer(batchSize = 1)
            val scope = CoroutineScope(Job() + Dispatchers.Default)
            val waiting = CompletableDeferred<Unit>()
            val consumer = scope.launch { streamer.stream(0).onStart { waiting.complete(Unit) }.collect() }
            runBlocking {
                withTimeout(30_000) {
                    waiting.await()
                    delay(50) // most likely in its wait by now; either order must end it
                    consumer.cancelAndJoin()
                }
            }
            consumer.isCancelled shouldBe true
            streamer.isCancelled(0) shouldBe true
        }

        test("a stream consumer leaves no job behind in its coroutine, however it stops") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val own = coroutineContext.job
                // It ends: the stream completes.
                streamer.put(chunk(1f), 0)
                streamer.end(intArrayOf(0))
                streamer.stream(0).toList().size shouldBe 1
                own.children.count() shouldBe 0
                // It fails: the producer's cause is thrown.
                val failing = AsyncAudioStreamer(batchSize = 1)
                failing.fail(IllegalStateException("model crashed"))
                shouldThrow<IllegalStateException> { failing.stream(0).collect() }.message shouldBe "model crashed"
                own.children.count() shouldBe 0
                // It is cancelled while it waits: one job watches it meanwhile, and goes with it.
                val consumer = launch { streamer.stream(1).collect() }
                runCurrent()
                consumer.children.count() shouldBe 1
                consumer.cancelAndJoin()
                consumer.children.count() shouldBe 0
                own.children.count() shouldBe 0
            }
        }

        test("a timeout around the whole collect cancels a waiting stream consumer") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                streamer.put(chunk(1f), 0)
                val seen = mutableListOf<Float>()
                withTimeoutOrNull(1_000) { streamer.stream(0).collect { seen += it.samples[0] } } shouldBe null
                seen shouldBe listOf(1f)
                streamer.isCancelled(0) shouldBe true
            }
        }

        test("a consumer that completes normally after end does not cancel") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                var heard = false
                streamer.addCancellationListener { heard = true }
                streamer.put(chunk(1f), 0)
                streamer.end()
                streamer.stream(0).toList()
                streamer.isCancelled(0) shouldBe false
                heard shouldBe false
            }
        }

        test("a listener added after a cancellation hears of it at once") {
            val streamer = AsyncAudioStreamer(batchSize = 3)
            streamer.cancel(2)
            val heard = mutableListOf<Int>()
            streamer.addCancellationListener { heard += it }
            heard shouldBe listOf(2)
        }

        test("closing a blocking iterator is the same as cancelling") {
            val streamer = AsyncAudioStreamer(batchSize = 2)
            val heard = CopyOnWriteArrayList<Int>()
            streamer.addCancellationListener { heard += it }
            streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 0))
            val it = BlockingAudioReader(streamer).iterator(0)
            it.next()
            it.close()
            streamer.isCancelled(0) shouldBe true
            heard shouldBe listOf(0)
            it.hasNext() shouldBe false
            streamer.put(chunk(3f), 0)
            streamer.droppedChunks shouldBe 2
            val batch = AsyncAudioStreamer(batchSize = 2)
            BlockingAudioReader(batch).batches().close()
            (batch.isCancelled(0) && batch.isCancelled(1)) shouldBe true
        }

        test("a batch collector that stops early cancels the samples that had not ended") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 3)
                streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 1))
                streamer.end(intArrayOf(2))
                streamer.batch().first()
                (0 until 3).map { streamer.isCancelled(it) } shouldBe listOf(true, true, false)
            }
        }

        test("the producer can stop generating when its sample is cancelled") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 4)
            val produced = IntArray(2)
            val generator =
                thread {
                    var step = 0
                    while (!(streamer.isCancelled(0) && streamer.isCancelled(1)) && step < 1_000_000) {
                        for (i in 0..1) {
                            if (!streamer.isCancelled(i)) {
                                streamer.put(chunk(step.toFloat()), i)
                                produced[i]++
                            }
                        }
                        step++
                    }
                }
            runBlocking {
                withTimeout(30_000) {
                    listOf(
                        launch(Dispatchers.Default) { streamer.stream(0).take(10).collect() },
                        launch(Dispatchers.Default) { streamer.stream(1).take(20).collect() },
                    ).joinAll()
                }
            }
            generator.join(30_000)
            generator.isAlive shouldBe false
            // It stopped soon after each cancel: at most the queue and the put in flight beyond.
            (produced[0] <= 10 + 4 + 1) shouldBe true
            (produced[1] <= 20 + 4 + 1) shouldBe true
        }

        test("no leaks: after every sample ends or is cancelled nothing stays queued and no coroutine or thread remains") {
            val threadsBefore = liveNonDaemonThreadIds()
            val parent = Job()
            val scope = CoroutineScope(parent + Dispatchers.Default)
            val streamer = AsyncAudioStreamer(batchSize = 4, capacity = 2)
            val consumers =
                (0 until 4).map { i ->
                    scope.launch { if (i % 2 == 0) streamer.stream(i).take(3).collect() else streamer.stream(i).collect() }
                }
            val producer =
                thread {
                    for (step in 0 until 50) for (i in 0 until 4) streamer.put(chunk(step.toFloat()), i)
                    streamer.end()
                }
            runBlocking { withTimeout(30_000) { consumers.joinAll() } }
            producer.join(30_000)
            producer.isAlive shouldBe false
            streamer.queuedChunks shouldBe 0
            parent.children.count() shouldBe 0
            (0 until 4).map { streamer.isCancelled(it) } shouldBe listOf(true, false, true, false)
            val threadsAfter = liveNonDaemonThreadIds()
            (threadsAfter - threadsBefore) shouldBe emptySet()
        }
    })

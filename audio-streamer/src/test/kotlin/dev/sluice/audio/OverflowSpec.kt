package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** Waits, boundedly and without sleeping, until [condition] holds. */
fun awaitTrue(condition: () -> Boolean) {
    val deadline = System.nanoTime() + 10_000_000_000L
    while (!condition()) {
        check(System.nanoTime() < deadline) { "condition not met within 10 s" }
        Thread.yield()
    }
}

/** Waits, boundedly, until [thread] parks or waits (for a lock, a signal, or a deadline). */
fun awaitWaiting(thread: Thread) = awaitTrue { thread.state == Thread.State.WAITING || thread.state == Thread.State.TIMED_WAITING }

class OverflowSpec :
    FunSpec({
        test("WAIT: a full sample blocks a thread caller of put until the consumer takes a chunk") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 2)
            streamer.put(listOf(chunk(0f), chunk(1f)), intArrayOf(0, 0))
            val returned = CountDownLatch(1)
            val producer =
                thread {
                    streamer.put(chunk(2f), 0)
                    returned.countDown()
                }
            // Bounded wait: the put must not return while the sample is full.
            returned.await(200, TimeUnit.MILLISECONDS) shouldBe false
            val consumer = BlockingAudioReader(streamer).iterator(0)
            consumer.next().samples[0] shouldBe 0f
            returned.await(10, TimeUnit.SECONDS) shouldBe true
            producer.join(10_000)
            streamer.end()
            consumer.asSequence().map { it.samples[0] }.toList() shouldBe listOf(1f, 2f)
            streamer.droppedChunks shouldBe 0
        }

        test("WAIT: a full sample suspends a caller of send until the consumer takes a chunk") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
                streamer.send(chunk(0f), 0)
                val sending = async { streamer.send(chunk(1f), 0) }
                runCurrent()
                sending.isActive shouldBe true
                streamer.stream(0).first().samples[0] shouldBe 0f // cancels sample 0 after the first chunk
                sending.await()
                streamer.isCancelled(0) shouldBe true
            }
        }

        test("WAIT: ending a full sample returns every caller of send waiting for room, with no chunk taken") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
                streamer.send(chunk(0f), 0)
                // Both wait on the sample's one conflated wake-up: the end wakes one, which must
                // pass it on while the queue is still full.
                val first = async { streamer.send(chunk(1f), 0) }
                val second = async { streamer.send(chunk(2f), 0) }
                runCurrent()
                (first.isActive to second.isActive) shouldBe (true to true)
                streamer.end()
                runCurrent()
                (first.isCompleted to second.isCompleted) shouldBe (true to true)
                streamer.droppedChunks(0) shouldBe 2L
                val receiver = streamer.receiver(0)
                receiver.receive()!!.samples[0] shouldBe 0f
                receiver.receive() shouldBe null
            }
        }

        test("WAIT: several producers waiting on one sample all get through") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
            streamer.put(chunk(-1f), 0)
            val producers = (0 until 4).map { p -> thread { repeat(50) { streamer.put(chunk(p * 100f + it), 0) } } }
            val consumer = BlockingAudioReader(streamer).iterator(0)
            val got = (0 until 201).map { consumer.next().samples[0] }
            producers.forEach { it.join(10_000) }
            got.size shouldBe 201
            got.toSet().size shouldBe 201
            (0 until 4).forEach { p -> got.filter { it >= p * 100f && it < p * 100f + 50 } shouldBe (0 until 50).map { p * 100f + it } }
        }

        test("WAIT: a producer blocked on a sample whose consumer cancels gets through, and its chunk is dropped") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
            streamer.put(chunk(0f), 0)
            val producer = thread { streamer.put(chunk(1f), 0) }
            awaitTrue { streamer.lane(0).waitingProducerCount == 1 }
            streamer.cancel(0)
            producer.join(10_000)
            producer.isAlive shouldBe false
            streamer.droppedChunks shouldBe 2
        }

        test("WAIT: a thread blocked in put can be interrupted; it enqueues nothing and stops waiting") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
            streamer.put(chunk(0f), 0)
            var caught: Throwable? = null
            val producer =
                thread {
                    try {
                        streamer.put(chunk(1f), 0)
                    } catch (e: InterruptedException) {
                        caught = e
                    }
                }
            awaitTrue { streamer.lane(0).waitingProducerCount == 1 }
            producer.interrupt()
            producer.join(10_000)
            (caught is InterruptedException) shouldBe true
            streamer.queuedChunks shouldBe 1
            streamer.lane(0).waitingProducerCount shouldBe 0
        }

        test("a sample's queue keeps its order as it grows and wraps around, and a cancel empties it") {
            // The queue is a ring that starts with no slots and doubles: take from its front so that
            // it wraps before it grows, then grow it past 4, 8 and 16 slots, draining between.
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 100)
            val chunks = BlockingAudioReader(streamer).iterator(0)
            var put = 0
            var taken = 0
            for (burst in listOf(3, 2, 7, 1, 15, 30, 5)) {
                repeat(burst) { streamer.put(chunk((put++).toFloat()), 0) }
                repeat(burst - 1) { chunks.next().samples[0] shouldBe (taken++).toFloat() }
            }
            streamer.end(intArrayOf(0))
            while (chunks.hasNext()) chunks.next().samples[0] shouldBe (taken++).toFloat()
            taken shouldBe put
            streamer.droppedChunks(0) shouldBe 0L

            repeat(9) { streamer.put(chunk(it.toFloat()), 1) }
            streamer.cancel(1)
            streamer.droppedChunks(1) shouldBe 9L
        }

        test("DROP_OLDEST keeps the newest chunks in order across many wraps of the queue") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 5, overflow = AudioOverflow.DROP_OLDEST)
            val chunks = BlockingAudioReader(streamer).iterator(0)
            repeat(23) { streamer.put(chunk(it.toFloat()), 0) }
            chunks.next().samples[0] shouldBe 18f
            repeat(4) { streamer.put(chunk(23f + it), 0) } // 23 fits; 24, 25 and 26 drop 19, 20 and 21
            streamer.end()
            val rest = mutableListOf<Float>()
            while (chunks.hasNext()) rest += chunks.next().samples[0]
            rest shouldBe listOf(22f, 23f, 24f, 25f, 26f)
            streamer.droppedChunks(0) shouldBe 21L
        }

        test("DROP_OLDEST: the oldest chunks are dropped and counted") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 2, overflow = AudioOverflow.DROP_OLDEST)
                (0 until 5).forEach { streamer.put(chunk(it.toFloat()), 0) }
                streamer.end()
                streamer.droppedChunks shouldBe 3
                streamer.stream(0).toList().map { it.samples[0] to it.index } shouldBe listOf(3f to 3L, 4f to 4L)
            }
        }

        test("FAIL: the call throws and nothing from it is enqueued") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 2, overflow = AudioOverflow.FAIL)
                streamer.put(listOf(chunk(0f), chunk(1f)), intArrayOf(0, 1))
                val error =
                    shouldThrow<AudioStreamOverflowException> {
                        streamer.put(listOf(chunk(2f), chunk(3f), chunk(4f)), intArrayOf(1, 0, 0))
                    }
                error.message shouldContain "sample 0 is full: 1 of 2 chunks queued, 2 more put"
                streamer.queuedChunks shouldBe 2
                shouldThrow<AudioStreamOverflowException> { streamer.send(listOf(chunk(5f), chunk(6f)), intArrayOf(1, 1)) }
                streamer.queuedChunks shouldBe 2
                streamer.put(listOf(chunk(7f), chunk(8f)), intArrayOf(0, 1))
                streamer.end()
                streamer.stream(0).toList().map { it.samples[0] } shouldBe listOf(0f, 7f)
                streamer
                    .stream(1)
                    .take(5)
                    .toList()
                    .map { it.samples[0] } shouldBe listOf(1f, 8f)
            }
        }
        test("FAIL: a put of several chunks wakes each consumer that waits, after a failed put woke none") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 1, overflow = AudioOverflow.FAIL)
                val first = async { streamer.stream(0).first().samples[0] }
                val second = async { streamer.stream(1).first().samples[0] }
                runCurrent() // both consumers wait on empty samples
                shouldThrow<AudioStreamOverflowException> { streamer.put(listOf(chunk(9f), chunk(9f)), intArrayOf(0, 0)) }
                runCurrent()
                first.isCompleted shouldBe false // nothing was enqueued: nobody has a chunk
                streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 1))
                runCurrent()
                (first.isCompleted to second.isCompleted) shouldBe (true to true)
                first.await() shouldBe 1f
                second.await() shouldBe 2f
            }
        }
    })

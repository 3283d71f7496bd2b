package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlin.concurrent.thread
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class SampleReceiverSpec :
    FunSpec({
        test("drop counts the chunk as dropped, and leaves the sample usable from another thread") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val receiver = streamer.receiver(0)
                streamer.put(chunk(1f), 0)
                receiver.drop(receiver.receive()!!)
                streamer.droppedChunks(0) shouldBe 1L
                // A put and an end from another thread need the sample's lock: drop must have let it go.
                val producer =
                    thread(isDaemon = true) {
                        streamer.put(chunk(2f), 0)
                        streamer.end()
                    }
                producer.join(10_000) // a bounded wait, not a poll
                producer.isAlive shouldBe false
                receiver.receive()!!.samples[0] shouldBe 2f
                receiver.receive() shouldBe null
                streamer.droppedChunks(0) shouldBe 1L
            }
        }

        test("a receiver takes chunks one at a time, returns null at the end, and is the sample's one consumer") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val receiver = streamer.receiver(1)
                kotlin.runCatching { streamer.stream(1).collect() }.exceptionOrNull()!!::class shouldBe IllegalStateException::class
                streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(1, 1))
                streamer.end()
                receiver.receive()!!.samples[0] shouldBe 1f
                receiver.receive()!!.samples[0] shouldBe 2f
                receiver.receive() shouldBe null
                receiver.close() // after the end: no cancellation
                streamer.isCancelled(1) shouldBe false
            }
        }

        test("a receive cancelled while it waits takes nothing; close cancels the sample") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val receiver = streamer.receiver(0)
                val waiting = launch { receiver.receive() }
                runCurrent()
                waiting.cancelAndJoin()
                streamer.isCancelled(0) shouldBe false
                streamer.put(chunk(7f), 0)
                receiver.receive()!!.samples[0] shouldBe 7f
                receiver.close()
                streamer.isCancelled(0) shouldBe true
            }
        }

        test("receive(timeout): a non-positive timeout is rejected and takes nothing; a timeout leaves the sample open") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val receiver = streamer.receiver(0)
                streamer.put(chunk(1f), 0)
                shouldThrow<IllegalArgumentException> { receiver.receive(Duration.ZERO) }
                shouldThrow<IllegalArgumentException> { receiver.receive((-5).milliseconds) }
                receiver.receive(10.milliseconds)!!.samples[0] shouldBe 1f
                shouldThrow<AudioStreamTimeoutException> { receiver.receive(10.milliseconds) }
                streamer.isCancelled(0) shouldBe false
                streamer.put(chunk(2f), 0)
                receiver.receive(10.milliseconds)!!.samples[0] shouldBe 2f
                streamer.cancel(0)
                shouldThrow<AudioSampleCancelledException> { receiver.receive(10.milliseconds) }
            }
        }

        test("drop counts a taken chunk as dropped, and only a chunk of the receiver's own sample") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val receiver = streamer.receiver(0)
                streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 1))
                val taken = receiver.receive()!!
                receiver.drop(taken)
                streamer.droppedChunks(0) shouldBe 1
                shouldThrow<IllegalArgumentException> { receiver.drop(AudioChunk(1, 0, chunk(2f), 0)) }
                streamer.droppedChunks shouldBe 1
            }
        }
        test("after taking the last chunk, a timed-out and a cancelled wait lose no chunk put later") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                val receiver = streamer.receiver(0)
                streamer.put(chunk(1f), 0)
                receiver.receive()!!.samples[0] shouldBe 1f // the last chunk: the consumer is marked waiting
                shouldThrow<AudioStreamTimeoutException> { receiver.receive(10.milliseconds) }
                // The put's wake-up goes to the abandoned waiter; the next receive must poll first.
                streamer.put(chunk(2f), 0)
                receiver.receive(10.milliseconds)!!.samples[0] shouldBe 2f
                val waiting = launch { receiver.receive() }
                runCurrent()
                waiting.cancelAndJoin()
                streamer.put(chunk(3f), 0)
                receiver.receive(10.milliseconds)!!.samples[0] shouldBe 3f
                streamer.end()
                receiver.receive(10.milliseconds) shouldBe null
            }
        }
        test("after taking the last chunk, a failure or a cancellation still reaches the receive that waits at once") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val failing = streamer.receiver(0)
                val cancelled = streamer.receiver(1)
                streamer.put(listOf(chunk(1f), chunk(2f)), intArrayOf(0, 1))
                failing.receive()!!.samples[0] shouldBe 1f // the last chunk of each: both wait at once next
                cancelled.receive()!!.samples[0] shouldBe 2f
                val failure = async { runCatching { failing.receive() }.exceptionOrNull() }
                val cancellation = async { runCatching { cancelled.receive() }.exceptionOrNull() }
                runCurrent()
                (failure.isActive to cancellation.isActive) shouldBe (true to true)
                streamer.cancel(1)
                val cause = IllegalStateException("model crashed")
                streamer.fail(cause) // sample 1 is already cancelled: only sample 0 fails
                runCurrent()
                failure.await() shouldBe cause
                (cancellation.await() is AudioSampleCancelledException) shouldBe true
            }
        }
        test("a receive on an empty sample stays suspended, with and without a timeout, until a chunk arrives") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                val untimed = streamer.receiver(0)
                val timed = streamer.receiver(1)
                repeat(2) { round ->
                    // Round 0 waits on a sample never filled; round 1 after taking its last chunk,
                    // which waits at once without polling first.
                    val first = async { untimed.receive() }
                    val second = async { timed.receive(1.seconds) }
                    runCurrent()
                    (first.isActive to second.isActive) shouldBe (true to true)
                    advanceTimeBy(900.milliseconds)
                    (first.isActive to second.isActive) shouldBe (true to true)
                    streamer.put(listOf(chunk(round + 1f), chunk(round + 2f)), intArrayOf(0, 1))
                    runCurrent()
                    first.await()!!.samples[0] shouldBe round + 1f
                    second.await()!!.samples[0] shouldBe round + 2f
                }
                streamer.end()
                untimed.receive() shouldBe null
                timed.receive(1.seconds) shouldBe null
            }
        }
    })

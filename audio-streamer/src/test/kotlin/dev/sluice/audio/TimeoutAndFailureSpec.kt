package dev.sluice.audio

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldNotBeInstanceOf
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class TimeoutAndFailureSpec :
    FunSpec({
        context("timeout") {
            test("stream: a consumer that waits longer than timeout gets AudioStreamTimeoutException, not a cancellation") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 2, timeout = 2.seconds)
                    launch {
                        delay(1.seconds)
                        streamer.send(chunk(1f), 0)
                        delay(1900.milliseconds) // within the timeout of the next wait
                        streamer.send(chunk(2f), 0)
                        // then silence
                    }
                    val got = mutableListOf<Float>()
                    val error = shouldThrow<AudioStreamTimeoutException> { streamer.stream(0).collect { got += it.samples[0] } }
                    error.shouldNotBeInstanceOf<CancellationException>()
                    error.message shouldBe "sample 0: no chunk within 2s"
                    got shouldBe listOf(1f, 2f)
                    currentTime shouldBe 2900 + 2000
                    // The consumer is gone: the sample counts as cancelled, the other goes on.
                    streamer.isCancelled(0) shouldBe true
                    streamer.isCancelled(1) shouldBe false
                }
            }

            test("batch: no chunk from any sample within timeout") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 3, timeout = 500.milliseconds)
                    launch {
                        delay(400)
                        streamer.send(chunk(1f), 2)
                    }
                    val maps = mutableListOf<Map<Int, AudioChunk>>()
                    val error = shouldThrow<AudioStreamTimeoutException> { streamer.batch().collect { maps += it } }
                    error.message shouldBe "the batch: no chunk within 500ms"
                    maps.map { it.keys } shouldBe listOf(setOf(2))
                    currentTime shouldBe 900
                    (0 until 3).all { streamer.isCancelled(it) } shouldBe true
                }
            }

            test("blocking iterators time out the same way") {
                val streamer = AsyncAudioStreamer(batchSize = 2, timeout = 50.milliseconds)
                val one = BlockingAudioReader(streamer).iterator(0)
                shouldThrow<AudioStreamTimeoutException> { one.hasNext() }
                streamer.isCancelled(0) shouldBe true
                one.hasNext() shouldBe false
                val other = AsyncAudioStreamer(batchSize = 2, timeout = 50.milliseconds)
                shouldThrow<AudioStreamTimeoutException> { BlockingAudioReader(other).batches().hasNext() }
            }

            test("without a timeout a consumer waits as long as it takes") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 1)
                    launch {
                        delay(10_000.seconds)
                        streamer.send(chunk(1f), 0)
                        streamer.end()
                    }
                    streamer.stream(0).toList().size shouldBe 1
                }
            }
        }

        context("failure") {
            test("fail(cause) throws cause to every sample that has not ended, after the chunks already queued") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 3)
                    val boom = IllegalStateException("the model crashed")
                    streamer.put(listOf(chunk(1f), chunk(2f), chunk(3f), chunk(4f)), intArrayOf(0, 0, 1, 2))
                    streamer.end(intArrayOf(2))
                    streamer.fail(boom)
                    streamer.put(chunk(5f), 0) // after the failure: dropped
                    val got = mutableListOf<Float>()
                    val error = shouldThrow<IllegalStateException> { streamer.stream(0).collect { got += it.samples[0] } }
                    error.message shouldBe "the model crashed"
                    got shouldBe listOf(1f, 2f)
                    shouldThrow<IllegalStateException> { streamer.stream(1).collect() }
                    streamer.stream(2).map { it.samples[0] }.toList() shouldBe listOf(4f) // it had ended
                    streamer.droppedChunks shouldBe 1
                    streamer.isCancelled(0) shouldBe false
                }
            }

            test("batch: the queued chunks of every sample come out before the cause") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 2)
                    streamer.put(listOf(chunk(1f), chunk(2f), chunk(3f)), intArrayOf(0, 0, 1))
                    streamer.fail(RuntimeException("oom"))
                    val maps = mutableListOf<Map<Int, Float>>()
                    val error =
                        shouldThrow<RuntimeException> {
                            streamer.batch().collect { m -> maps += m.mapValues { it.value.samples[0] } }
                        }
                    error.message shouldBe "oom"
                    maps shouldBe listOf(mapOf(0 to 1f, 1 to 3f), mapOf(0 to 2f))
                }
            }

            test("blocking: the iterator throws the cause after the queued chunks") {
                val streamer = AsyncAudioStreamer(batchSize = 1)
                streamer.put(chunk(1f), 0)
                streamer.fail(IllegalArgumentException("bad token"))
                val it = BlockingAudioReader(streamer).iterator(0)
                it.next().samples[0] shouldBe 1f
                shouldThrow<IllegalArgumentException> { it.hasNext() }.message shouldBe "bad token"
            }

            test("a consumer that catches the failure can go on with other work") {
                runTest {
                    val streamer = AsyncAudioStreamer(batchSize = 1)
                    streamer.fail(RuntimeException("x"))
                    var caught: Throwable? = null
                    streamer
                        .stream(0)
                        .onEach { }
                        .catch { caught = it }
                        .collect()
                    caught?.message shouldBe "x"
                }
            }
        }
    })

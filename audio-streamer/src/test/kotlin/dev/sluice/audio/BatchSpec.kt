package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.io.File
import java.util.concurrent.Semaphore
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

class BatchSpec :
    FunSpec({
        test("each map is non-empty and holds at most one chunk per sample, each sample's oldest") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 3)
                streamer.put(
                    listOf(chunk(0f), chunk(1f), chunk(2f), chunk(10f), chunk(20f), chunk(21f)),
                    intArrayOf(0, 0, 0, 1, 2, 2),
                )
                streamer.end()
                val maps = streamer.batch().toList()
                maps.forEach { it.isNotEmpty() shouldBe true }
                maps.map { m -> m.mapValues { it.value.samples[0] } } shouldBe
                    listOf(mapOf(0 to 0f, 1 to 10f, 2 to 20f), mapOf(0 to 1f, 2 to 21f), mapOf(0 to 2f))
            }
        }

        test("it waits while nothing is ready and completes when every sample has ended") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2)
                launch {
                    delay(100)
                    streamer.send(chunk(1f), 1)
                    delay(100)
                    streamer.end(intArrayOf(1))
                    delay(100)
                    streamer.send(chunk(2f), 0)
                    streamer.end(intArrayOf(0))
                }
                streamer.batch().toList().map { it.keys } shouldBe listOf(setOf(1), setOf(0))
            }
        }

        test("it is fair: a trickling sample is never starved by a flooding one") {
            // Sample 0 floods from one thread; sample 1 trickles from another, one chunk at a time.
            // A chunk enqueued while `n` maps had been emitted must come out in map n or n + 1,
            // however full sample 0 is: every map takes one chunk from every ready sample.
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 64)
            val emitted = AtomicInteger()
            val trickleCount = 50
            val enqueuedBy = IntArray(trickleCount)
            val deliveredIn = IntArray(trickleCount) { -1 }
            val consumed = Semaphore(0)
            val flood =
                thread {
                    repeat(20_000) { streamer.put(chunk(it.toFloat()), 0) }
                    streamer.end(intArrayOf(0))
                }
            val trickle =
                thread {
                    for (k in 0 until trickleCount) {
                        streamer.put(chunk(k.toFloat()), 1)
                        enqueuedBy[k] = emitted.get() // read after the put: an upper bound of the count then
                        check(consumed.tryAcquire(60, TimeUnit.SECONDS)) { "trickle chunk $k was starved" }
                    }
                    streamer.end(intArrayOf(1))
                }
            var floodChunks = 0
            var work = 0.0
            runBlocking {
                withTimeout(120_000) {
                    streamer.batch().collect { m ->
                        m[0]?.let { floodChunks++ }
                        m[1]?.let {
                            deliveredIn[it.samples[0].toInt()] = emitted.get()
                            consumed.release()
                        }
                        emitted.incrementAndGet()
                        // Some work per map, as a real consumer does: the flood stays full meanwhile.
                        for (i in 0 until 5_000) work += kotlin.math.sqrt(i.toDouble())
                    }
                }
            }
            flood.join(60_000)
            trickle.join(60_000)
            floodChunks shouldBe 20_000
            (0 until trickleCount).filter { deliveredIn[it] > enqueuedBy[it] + 1 } shouldBe emptyList()
            deliveredIn.all { it >= 0 } shouldBe true
            (work > 0) shouldBe true
        }

        test("fairness, deterministically: every map takes one chunk from every ready sample") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 100)
                repeat(100) { streamer.put(chunk(it.toFloat()), 0) }
                streamer.put(chunk(-1f), 1)
                streamer.put(chunk(-2f), 1)
                val first = streamer.batch().take(2).toList()
                first.map { it.keys } shouldBe listOf(setOf(0, 1), setOf(0, 1))
            }
        }

        test("there is no sleep or delay in the module's main code, except a deadline marked as one") {
            // Waiting is by signal, never by polling. A one-shot deadline (AudioReplay's resume window)
            // is allowed when its line says so.
            val sources = File("src/main").walkTopDown().filter { it.isFile && it.extension == "kt" }.toList()
            (sources.size > 5) shouldBe true
            val offenders =
                sources.flatMap { f ->
                    f
                        .readLines()
                        .filter {
                            Regex(
                                """\b(sleep|delay|onSpinWait|parkNanos)\s*\(""",
                            ).containsMatchIn(it) &&
                                !it.contains("// a deadline, not a poll")
                        }.map { "${f.name}: $it" }
                }
            offenders shouldBe emptyList()
        }

        test("a map of a large, mostly idle batch polls only the samples that are ready, not the batch") {
            runTest {
                val streamer = AsyncAudioStreamer(batchSize = 10_000)
                val cursor = BatchCursor(streamer.allLanes())
                streamer.put(chunk(1f), 7)
                cursor.next(null)!!.keys shouldBe setOf(7)
                cursor.polls shouldBe 10_000L // the first round looks at every sample once
                streamer.put(chunk(2f), 7)
                cursor.next(null)!!.keys shouldBe setOf(7)
                cursor.polls shouldBe 10_001L // sample 7 gave a chunk last time: only it is polled
                val waiting = async { cursor.next(null) }
                runCurrent() // sample 7 is found empty; the cursor waits
                streamer.put(chunk(3f), 9_999)
                waiting.await()!!.keys shouldBe setOf(9_999)
                cursor.polls shouldBe 10_003L // 7 found empty; then, woken by sample 9999, 9999 alone
                streamer.end(intArrayOf(7))
                streamer.cancel(9_999)
                val rest = async { cursor.next(null) } // 9,998 samples are still open: it waits
                runCurrent()
                cursor.polls shouldBe 10_005L // 9999 gave a chunk last time; 7 was found empty, then ended
                rest.cancel()
            }
        }
    })

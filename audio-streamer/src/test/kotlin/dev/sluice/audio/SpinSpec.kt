package dev.sluice.audio

import dev.sluice.audio.internal.Spin
import dev.sluice.audio.internal.WakeSignal
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.CountDownLatch
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.thread

/**
 * The bounded, adaptive spin of threads before they park: a waiter paced by real time stops
 * spinning, a hot handoff keeps it, and a spin always ends in a real wait. No timing is asserted
 * beyond lower bounds: every wait here is longer than the longest spin.
 */
class SpinSpec :
    FunSpec({
        val max = Spin.MAX_NANOS

        test("the budget is the longest spin after a short wait, and halves after each long one down to nothing") {
            Spin.adapt(0, 0) shouldBe max
            Spin.adapt(max / 8, max.toLong()) shouldBe max // a wait a longer spin would have covered
            Spin.adapt(max, max + 1L) shouldBe max / 2
            var budget = max
            repeat(40) { budget = Spin.adapt(budget, 20_000_000) } // 40 waits of 20 ms
            budget shouldBe 0
            Spin.adapt(budget, 1_000) shouldBe max // a hot handoff again: spin again
        }

        test("a back-off waits, never past the budget, and not at all once it is spent or the thread is interrupted") {
            val start = System.nanoTime()
            Spin.backOff(start, 1_000_000) shouldBe true
            (System.nanoTime() - start >= 1_000) shouldBe true // it busy-waited, it did not just return
            Spin.backOff(System.nanoTime() - 2_000_000, 1_000_000) shouldBe false
            Thread.currentThread().interrupt()
            try {
                Spin.backOff(System.nanoTime(), 1_000_000) shouldBe false
                Thread.currentThread().isInterrupted shouldBe true // seen, not cleared: the park after it throws
            } finally {
                Thread.interrupted()
            }
        }

        test("a blocking waiter paced by long waits spins less and less, then not at all") {
            val signal = WakeSignal()
            signal.spinBudgetNanos shouldBe max
            var expected = max
            repeat(20) {
                val waiter = thread { signal.awaitBlocking(Long.MAX_VALUE) }
                awaitWaiting(waiter) // it spun, then parked
                Thread.sleep(2) // a wait far longer than any spin
                signal.signal()
                waiter.join(10_000)
                waiter.isAlive shouldBe false
                expected /= 2
                signal.spinBudgetNanos shouldBe expected
            }
            expected shouldBe 0
        }

        test("a producer held up by a slow consumer spins less and less, and still waits for room") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
            val lane = streamer.lane(0)
            streamer.put(chunk(0f), 0)
            BlockingAudioReader(streamer).iterator(0).use { chunks ->
                var expected = max
                for (k in 1..3) {
                    val producer = thread { streamer.put(chunk(k.toFloat()), 0) }
                    awaitTrue { lane.waitingProducerCount == 1 } // it spun, then blocked
                    Thread.sleep(2)
                    chunks.next().samples[0] shouldBe (k - 1).toFloat()
                    producer.join(10_000)
                    producer.isAlive shouldBe false
                    expected /= 2
                    lane.producerSpinNanos shouldBe expected
                }
                chunks.next().samples[0] shouldBe 3f
            }
        }

        test("a put that finds room at once leaves the budget as it is") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 1)
            val lane = streamer.lane(0)
            streamer.put(chunk(0f), 0)
            BlockingAudioReader(streamer).iterator(0).use { chunks ->
                // Slow the budget down first, so that a reset to the full one is visible.
                val producer = thread { streamer.put(chunk(1f), 0) }
                awaitTrue { lane.waitingProducerCount == 1 }
                Thread.sleep(2)
                chunks.next()
                producer.join(10_000)
                lane.producerSpinNanos shouldBe max / 2
                // Room before the put: no wait at all, and the budget is left as it is.
                chunks.next().samples[0] shouldBe 1f
                streamer.put(chunk(2f), 0)
                lane.producerSpinNanos shouldBe max / 2
            }
        }

        test("a producer on a sample read in a batch blocks without spinning: its budget is never used") {
            val streamer = AsyncAudioStreamer(batchSize = 2, capacity = 1)
            val lane = streamer.lane(0)
            streamer.put(chunk(0f), 0)
            BlockingAudioReader(streamer).batches().use { maps ->
                maps.next()[0]!!.samples[0] shouldBe 0f
                streamer.put(chunk(1f), 0) // room again: queued at once
                val producer = thread { streamer.put(chunk(2f), 0) }
                awaitTrue { lane.waitingProducerCount == 1 }
                Thread.sleep(2) // a long wait, which would halve the budget of a spinning producer
                maps.next()[0]!!.samples[0] shouldBe 1f
                producer.join(10_000)
                producer.isAlive shouldBe false
                lane.producerSpinNanos shouldBe max // it did not spin, so it learnt nothing
                maps.next()[0]!!.samples[0] shouldBe 2f
            }
        }

        test("a contended lock is tried, then blocked on, and taken once it is free") {
            val lock = ReentrantLock()
            lock.lock()
            val taken = CountDownLatch(1)
            val other =
                thread {
                    Spin.lock(lock)
                    taken.countDown()
                    lock.unlock()
                }
            awaitWaiting(other) // its tries ran out: it blocks instead of spinning for ever
            taken.count shouldBe 1
            lock.unlock()
            other.join(10_000)
            other.isAlive shouldBe false
            taken.count shouldBe 0
        }
    })

package dev.sluice.audio

import dev.sluice.audio.internal.LaneLock
import dev.sluice.audio.internal.WakeSignal
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * What a lane stores at every chunk, and where: with thousands of long-lived lanes, a reference
 * stored into a lane the collector has promoted costs G1 a card to scan (B8). A busy lane's ring
 * is replaced often enough to stay young, its lock records no owner thread, and a kept wake-up
 * refers to the signal itself. Each without a change to what the queue holds or in what order.
 */
class LaneStorageSpec :
    FunSpec({
        test("a lane's ring is replaced once it took four times its size in chunks, and the queue keeps its order") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 64)
            val lane = streamer.lane(0)
            val changedAt = mutableListOf<Int>()
            var ring = lane.ringArray
            for (k in 1..60) {
                streamer.put(chunk(k.toFloat()), 0)
                if (lane.ringArray !== ring) changedAt += k
                ring = lane.ringArray
                lane.poll()!!.samples[0] shouldBe k.toFloat()
            }
            // The first chunk makes a ring of 4 slots; every 16 chunks after it a new one.
            changedAt shouldBe listOf(1, 17, 33, 49)
        }

        test("chunks queued when the ring is replaced or grown come out in order, none lost or repeated") {
            val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 64)
            val lane = streamer.lane(0)
            var put = 0
            var taken = 0
            var replaced = 0
            var grown = 0
            for (round in 0 until 300) {
                // Puts run ahead of takes, then fall back, so the queue is part full at replacements
                // and wraps around its ring at every size.
                val puts = round % 7 + 1
                val takes = if (round % 40 < 20) puts - 1 else puts + 1
                for (k in 0 until puts) {
                    val before = lane.ringArray
                    streamer.put(chunk(put++.toFloat()), 0)
                    val after = lane.ringArray
                    if (after !== before && after.size == before.size) replaced++
                    if (after.size > before.size) grown++
                }
                repeat(takes) {
                    val chunk = lane.poll() ?: return@repeat
                    chunk.samples[0] shouldBe taken.toFloat()
                    chunk.index shouldBe taken.toLong()
                    taken++
                }
            }
            while (true) {
                val chunk = lane.poll() ?: break
                chunk.samples[0] shouldBe taken++.toFloat()
            }
            taken shouldBe put
            // Grown from 0 to 4, 8, 16 and 32 slots, and replaced at the same size several times.
            grown shouldBe 4
            (replaced >= 5) shouldBe true
            streamer.droppedChunks(0) shouldBe 0L
        }

        test("a lane's lock excludes other threads, lends itself to a condition, and refuses an unlock it does not hold") {
            val lock = object : LaneLock() {}
            lock.tryLock() shouldBe true
            // What another thread saw, asserted here: an assertion that fails on another thread
            // does not fail the test.
            var otherGotIt: Boolean? = null
            val other = thread { otherGotIt = lock.tryLock() }
            other.join(10_000)
            other.isAlive shouldBe false
            otherGotIt shouldBe false
            val ready = lock.newCondition()
            val woken = CountDownLatch(1)
            var signalled: Boolean? = null
            val waiter =
                thread {
                    lock.lock()
                    try {
                        // Releases the lock while it waits; false if 10 s passed with no signal.
                        signalled = ready.await(10, TimeUnit.SECONDS)
                        woken.countDown()
                    } finally {
                        lock.unlock()
                    }
                }
            lock.unlock()
            awaitTrue { waiter.state == Thread.State.TIMED_WAITING }
            lock.lock() // free again: the waiter let go of it
            ready.signal()
            lock.unlock()
            woken.await(10, TimeUnit.SECONDS) shouldBe true
            waiter.join(10_000)
            waiter.isAlive shouldBe false
            signalled shouldBe true
            shouldThrow<IllegalMonitorStateException> { lock.unlock() }
            lock.tryLock() shouldBe true // a refused unlock left it free, not broken
        }

        test("a kept wake-up refers to the signal itself, and the next wait takes it") {
            val signal = WakeSignal()
            signal.signal()
            signal.get() shouldBeSameInstanceAs signal
            signal.signal() // several count as one
            signal.get() shouldBeSameInstanceAs signal
            signal.awaitBlocking(0) shouldBe true
            signal.get() shouldBe null
            signal.awaitBlocking(0) shouldBe false
        }
    })

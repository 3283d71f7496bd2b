package dev.sluice.audio

import dev.sluice.audio.internal.WakeSignal
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds

/** The lane's one-waiter conflated wake-up, which replaced a `Channel<Unit>(CONFLATED)`. */
class WakeSignalSpec :
    FunSpec({
        test("a signal with nobody waiting is kept, and several count as one") {
            runTest {
                val signal = WakeSignal()
                signal.signal()
                signal.signal()
                signal.await() // the kept wake-up: returns at once
                val second = async(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                runCurrent()
                second.isCompleted shouldBe false // the two signals were one
                signal.signal()
                runCurrent()
                second.isCompleted shouldBe true
            }
        }

        test("a waiter suspends until the signal, and a signal wakes it exactly once") {
            runTest {
                val signal = WakeSignal()
                var wakes = 0
                val waiter =
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        repeat(2) {
                            signal.await()
                            wakes++
                        }
                    }
                wakes shouldBe 0
                signal.signal()
                runCurrent()
                wakes shouldBe 1
                signal.signal()
                runCurrent()
                wakes shouldBe 2
                waiter.isCompleted shouldBe true
            }
        }

        test("a cancelled or timed-out waiter leaves, so the next one can wait and be woken") {
            runTest {
                val signal = WakeSignal()
                withTimeoutOrNull(10.milliseconds) { signal.await() } shouldBe null
                val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                cancelled.cancelAndJoin()
                val next = async(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                signal.signal()
                runCurrent()
                next.isCompleted shouldBe true
            }
        }

        test("a signal that finds only a cancelled waiter clears it and is not kept: the lane polls before it waits again") {
            runTest {
                val signal = WakeSignal()
                val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                cancelled.cancelAndJoin()
                signal.signal()
                val next = async(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                runCurrent()
                next.isCompleted shouldBe false
                signal.signal()
                runCurrent()
                next.isCompleted shouldBe true
            }
        }

        test("a second waiter at the same time is a bug, and says so") {
            runTest {
                val signal = WakeSignal()
                val first = launch(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                val e = shouldThrow<IllegalStateException> { signal.await() }
                e.message shouldContain "second coroutine"
                signal.signal()
                runCurrent()
                first.isCompleted shouldBe true
            }
        }

        test("awaitWake: a kept signal returns at once, else it waits for exactly one signal") {
            runTest {
                val signal = WakeSignal()
                signal.signal()
                signal.signal()
                signal.awaitWake() // the kept wake-up: returns at once
                var wakes = 0
                val waiter =
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        repeat(2) {
                            signal.awaitWake()
                            wakes++
                        }
                    }
                runCurrent()
                wakes shouldBe 0 // the two signals before were one
                signal.signal()
                runCurrent()
                wakes shouldBe 1
                signal.signal()
                runCurrent()
                wakes shouldBe 2
                waiter.isCompleted shouldBe true
            }
        }

        test("awaitWake is not cancellable by itself: a cancelled waiter goes on only when signalled") {
            runTest {
                val signal = WakeSignal()
                var returned = false
                val waiter =
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        signal.awaitWake()
                        returned = true
                    }
                waiter.cancel()
                runCurrent()
                waiter.isCompleted shouldBe false // still waiting: only a signal ends the wait
                signal.signal()
                runCurrent()
                returned shouldBe true // the wait returned; the caller checks for cancellation itself
                waiter.isCancelled shouldBe true
                waiter.isCompleted shouldBe true
            }
        }

        test("awaitWake replaces a cancelled await, and a second live waiter is refused") {
            runTest {
                val signal = WakeSignal()
                val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                cancelled.cancelAndJoin()
                val next = async(start = CoroutineStart.UNDISPATCHED) { signal.awaitWake() }
                shouldThrow<IllegalStateException> { signal.await() }.message shouldContain "second coroutine"
                shouldThrow<IllegalStateException> { signal.awaitWake() }.message shouldContain "second coroutine"
                signal.signal()
                runCurrent()
                next.isCompleted shouldBe true
            }
        }

        context("awaitBlocking, for a consumer on a plain thread") {
            test("a kept signal returns at once; else the thread parks, on the signal, until one signal") {
                val signal = WakeSignal()
                signal.signal()
                signal.signal()
                signal.awaitBlocking(Long.MAX_VALUE) shouldBe true // the kept wake-up
                val wakes = AtomicInteger()
                val waiter =
                    thread {
                        repeat(2) {
                            signal.awaitBlocking(Long.MAX_VALUE)
                            wakes.incrementAndGet()
                        }
                    }
                awaitWaiting(waiter)
                LockSupport.getBlocker(waiter) shouldBe signal // parked on the signal, not in an event loop
                wakes.get() shouldBe 0 // the two signals before were one
                signal.signal()
                val deadline = System.nanoTime() + 10_000_000_000L
                while (wakes.get() == 0) check(System.nanoTime() < deadline) { "the signal did not wake the thread" }
                awaitWaiting(waiter)
                wakes.get() shouldBe 1 // one signal, one wake: it waits again
                signal.signal()
                waiter.join(10_000)
                waiter.isAlive shouldBe false
                wakes.get() shouldBe 2
            }

            test("a wait that times out returns false and leaves: the next signal is kept for the next wait") {
                val signal = WakeSignal()
                signal.awaitBlocking(1_000_000) shouldBe false
                signal.signal()
                signal.awaitBlocking(1_000_000) shouldBe true // kept, not spent on the thread that left
                signal.awaitBlocking(1_000_000) shouldBe false // and kept once only
            }

            test("an interrupted thread gets InterruptedException before or while it waits, and leaves") {
                val signal = WakeSignal()
                signal.signal()
                Thread.currentThread().interrupt()
                try {
                    shouldThrow<InterruptedException> { signal.awaitBlocking(Long.MAX_VALUE) }
                    Thread.currentThread().isInterrupted shouldBe false // cleared, as a take() clears it
                } finally {
                    Thread.interrupted()
                }
                signal.awaitBlocking(1_000_000) shouldBe true // the kept signal was not taken

                var thrown: Throwable? = null
                val waiter = thread { thrown = runCatching { signal.awaitBlocking(Long.MAX_VALUE) }.exceptionOrNull() }
                awaitWaiting(waiter)
                waiter.interrupt()
                waiter.join(10_000)
                waiter.isAlive shouldBe false
                (thrown is InterruptedException) shouldBe true
                // It left: a coroutine can wait now, and the signal goes to it.
                runTest {
                    val next = async(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                    signal.signal()
                    runCurrent()
                    next.isCompleted shouldBe true
                }
            }

            test("a thread and a coroutine waiting at the same time is a bug, and says so") {
                val signal = WakeSignal()
                val waiter = thread { signal.awaitBlocking(Long.MAX_VALUE) }
                awaitWaiting(waiter)
                runTest {
                    shouldThrow<IllegalStateException> { signal.await() }.message shouldContain "second coroutine or thread"
                }
                shouldThrow<IllegalStateException> { signal.awaitBlocking(1_000_000) }.message shouldContain "second coroutine or thread"
                signal.signal()
                waiter.join(10_000)
                waiter.isAlive shouldBe false
                runTest {
                    val first = launch(start = CoroutineStart.UNDISPATCHED) { signal.await() }
                    shouldThrow<IllegalStateException> { signal.awaitBlocking(1_000_000) }
                    signal.signal()
                    runCurrent()
                    first.isCompleted shouldBe true
                }
            }

            test("timeouts racing signals lose no wake-up: 20,000 ping-pongs with 20 µs waits all finish") {
                val ping = WakeSignal()
                val pong = WakeSignal()
                val rounds = 20_000
                // Each side retries a wait that timed out. A timeout that reported false after a
                // signal had taken its waiter would lose that wake-up, and both sides would wait for
                // ever: the bounded joins below would then fail.
                val errors = ConcurrentLinkedQueue<Throwable>()
                val done = AtomicInteger()
                val a =
                    thread(isDaemon = true) {
                        runCatching {
                            repeat(rounds) {
                                while (!ping.awaitBlocking(20_000)) continue
                                pong.signal()
                            }
                        }.onFailure { errors += it }
                    }
                val b =
                    thread(isDaemon = true) {
                        runCatching {
                            repeat(rounds) {
                                ping.signal()
                                while (!pong.awaitBlocking(20_000)) continue
                                done.incrementAndGet()
                            }
                        }.onFailure { errors += it }
                    }
                a.join(60_000)
                b.join(60_000)
                errors.toList() shouldBe emptyList()
                done.get() shouldBe rounds
                (a.isAlive || b.isAlive) shouldBe false
            }
        }
    })

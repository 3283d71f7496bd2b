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
    })

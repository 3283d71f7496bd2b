package dev.sluice.audio.internal

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.Continuation
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.intercepted
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlin.coroutines.resume

/**
 * A conflated wake-up for one waiting coroutine or thread: what a `Channel<Unit>(CONFLATED)` does for a
 * lane's one consumer, in one small object instead of a channel and its first segment (which
 * matters with thousands of idle samples). A [signal] with nobody waiting is kept until the next
 * [await]; several signals before it count as one.
 *
 * One waiter at a time: the lane's consumer, which [SampleLane.claim] makes unique. A waiter that is
 * cancelled (a timeout, or its coroutine cancelled) stays in place, without a cancellation handler
 * to register on every wait, until the next [await] replaces it or a [signal] clears it; that signal
 * is then lost, which is safe because a lane's consumer always polls before it waits again.
 *
 * [awaitWake] is the same wait without cancellation of its own, for a consumer that is woken on
 * cancellation another way (see [SampleLane.wakeOnCancel]): it costs no cancellable continuation
 * and no handler on the coroutine's job for every wait, only the coroutine's own continuation.
 *
 * **It is its own state:** it extends [AtomicReference] (null: nothing pending, nobody waiting;
 * [PENDING], itself; or the waiter, a continuation or a thread) instead of holding one, so that a signal
 * and a wait each touch one object, not two. With thousands of samples those objects are cold in
 * the cache at every chunk, and one less miss per side is measurable (B8). Only this class calls
 * the inherited methods; the rest of the module calls [signal] and the waits.
 */
internal class WakeSignal : AtomicReference<Any?>(null) {
    private val state: AtomicReference<Any?> get() = this

    /** Wakes the waiter, or keeps the wake-up for the next [await]. Never suspends. */
    fun signal() {
        while (true) {
            val now = state.get()
            when {
                now === PENDING -> return
                now == null -> if (state.compareAndSet(null, PENDING)) return
                else ->
                    if (state.compareAndSet(now, null)) {
                        @Suppress("UNCHECKED_CAST")
                        if (now is Thread) LockSupport.unpark(now) else (now as Continuation<Any?>).resume(null)
                        return
                    }
            }
        }
    }

    /**
     * Returns at once if a wake-up is pending (taking it), else suspends until [signal]. Its value
     * means nothing (always null): it returns `Any?` rather than `Unit` so that the compiler can pass
     * the caller's continuation straight through (a tail call). Returning `Unit` from the generic
     * `suspendCancellableCoroutine` makes a state machine, and with it a new continuation and a new
     * dispatched wrapper of it for every wait.
     */
    suspend fun await(): Any? {
        if (state.compareAndSet(PENDING, null)) return null
        return suspendCancellableCoroutine<Any?> { cont -> if (takePendingOrWait(cont)) cont.resume(null) }
    }

    /**
     * Like [await], but the wait itself is not cancellable: it ends only with a [signal]. The caller
     * must make sure that cancelling its coroutine signals (see [SampleLane.wakeOnCancel]) and check
     * for cancellation after it returns. The coroutine's own continuation waits, so a wait allocates
     * nothing; a signal resumes it through its dispatcher, as a cancellable wait's would.
     */
    suspend fun awaitWake(): Any? {
        if (state.compareAndSet(PENDING, null)) return null
        return suspendCoroutineUninterceptedOrReturn { uncont ->
            // Once the continuation is in place a signal may resume the coroutine on another
            // thread; nothing here touches it after that, this frame only reports that it suspended.
            // A wake-up taken instead lets the caller go on at once, on this thread.
            if (takePendingOrWait(uncont.intercepted())) null else COROUTINE_SUSPENDED
        }
    }

    /**
     * [await] for a consumer on a plain thread, which parks instead of suspending: returns true at
     * once if a wake-up is pending (taking it), else parks until [signal] (true) or until
     * [timeoutNanos] have passed (false; [Long.MAX_VALUE] waits forever). Throws
     * [InterruptedException], clearing the interrupt, when the thread is interrupted before or while
     * it waits. A waiter that stops without a signal (timed out or interrupted) removes itself, so a
     * later signal is kept for the next wait instead of unparking a thread that no longer waits.
     * Before it parks it watches for a wake-up for a while ([Spin]): a producer that is running
     * then hands over its next chunk without a park and an unpark.
     */
    fun awaitBlocking(timeoutNanos: Long): Boolean {
        if (Thread.interrupted()) throw InterruptedException()
        if (state.compareAndSet(PENDING, null)) return true
        val start = System.nanoTime()
        val budget = spinBudget
        val woken = (budget > 0 && spinFor(start, minOf(budget.toLong(), timeoutNanos))) || park(start, timeoutNanos)
        spinBudget = Spin.adapt(budget, System.nanoTime() - start)
        return woken
    }

    /**
     * How long the next [awaitBlocking] spins before it parks ([Spin]). Only the waiting thread
     * reads and writes it; a consumer that moves to another thread may read a stale value, which
     * only changes one spin.
     */
    private var spinBudget = Spin.MAX_NANOS

    /** The budget of the next blocking wait's spin, in ns; for tests. */
    val spinBudgetNanos: Int get() = spinBudget

    /** Watches for a pending wake-up until [limit] ns after [start], taking it: true if one came. */
    private fun spinFor(
        start: Long,
        limit: Long,
    ): Boolean {
        while (true) {
            if (state.get() === PENDING && state.compareAndSet(PENDING, null)) return true
            if (System.nanoTime() - start >= limit || Thread.currentThread().isInterrupted) return false
        }
    }

    /** The parking half of [awaitBlocking], for a wait that began at [start]. */
    private fun park(
        start: Long,
        timeoutNanos: Long,
    ): Boolean {
        val me = Thread.currentThread()
        if (takePendingOrWait(me)) return true
        val deadline = start + timeoutNanos
        // A signal clears the state before it unparks, so a wake-up that is not ours (a stale
        // permit, a spurious return) finds this thread still in place and parks again.
        while (state.get() === me) {
            if (Thread.interrupted()) {
                state.compareAndSet(me, null)
                throw InterruptedException()
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                LockSupport.park(this)
            } else {
                val left = deadline - System.nanoTime()
                // Timed out, unless a signal took this waiter first: then it was woken in time.
                if (left <= 0) return !state.compareAndSet(me, null)
                LockSupport.parkNanos(this, left) // a deadline, not a poll: a signal unparks it
            }
        }
        return true
    }

    /**
     * The one way in for every wait: takes a pending wake-up (true: the caller goes on at once), or
     * puts [waiter] (a continuation or a thread) in place (false: it waits for [signal]).
     */
    private fun takePendingOrWait(waiter: Any): Boolean {
        while (true) {
            val now = state.get()
            if (now === PENDING) {
                if (state.compareAndSet(PENDING, null)) return true
            } else {
                checkNoWaiter(now)
                if (state.compareAndSet(now, waiter)) return false
            }
        }
    }

    /** A waiter that was cancelled is replaced; a live one means two consumers. */
    private fun checkNoWaiter(now: Any?) {
        check(
            now == null || (now is CancellableContinuation<*> && now.isCancelled),
        ) { "a second coroutine or thread waits on a lane's wake-up" }
    }

    /**
     * The pending state is this object itself, not a shared marker: a reference to itself stays
     * within its heap region, so G1's write barrier skips it. A shared marker lives elsewhere, and
     * storing it into a lane's signal that the collector has promoted dirties a card, which a
     * refinement thread must then scan, at every chunk that finds its consumer busy (B8). It can
     * not be mistaken for a waiter: a waiter is a continuation or a thread.
     */
    private val PENDING: Any get() = this
}

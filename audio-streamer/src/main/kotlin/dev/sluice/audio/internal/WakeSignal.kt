package dev.sluice.audio.internal

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resume

/**
 * A conflated wake-up for one waiting coroutine: what a `Channel<Unit>(CONFLATED)` does for a
 * lane's one consumer, in one small object instead of a channel and its first segment (which
 * matters with thousands of idle samples). A [signal] with nobody waiting is kept until the next
 * [await]; several signals before it count as one.
 *
 * One waiter at a time: the lane's consumer, which [SampleLane.claim] makes unique. A waiter that is
 * cancelled (a timeout, or its coroutine cancelled) stays in place, without a cancellation handler
 * to register on every wait, until the next [await] replaces it or a [signal] clears it; that signal
 * is then lost, which is safe because a lane's consumer always polls before it waits again.
 */
internal class WakeSignal {
    /** null: nothing pending, nobody waiting; [PENDING]; or the waiting continuation. */
    private val state = AtomicReference<Any?>(null)

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
                        (now as CancellableContinuation<Any?>).resume(null)
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
        return suspendCancellableCoroutine<Any?> { cont ->
            while (true) {
                val now = state.get()
                if (now === PENDING) {
                    if (state.compareAndSet(PENDING, null)) {
                        cont.resume(null)
                        return@suspendCancellableCoroutine
                    }
                } else {
                    // A waiter that was cancelled is replaced; a live one means two consumers.
                    check(now == null || (now as CancellableContinuation<*>).isCancelled) { "a second coroutine waits on a lane's wake-up" }
                    if (state.compareAndSet(now, cont)) return@suspendCancellableCoroutine
                }
            }
        }
    }

    private companion object {
        val PENDING = Any()
    }
}

package dev.sluice.audio.internal

import java.util.concurrent.locks.Lock

/**
 * Bounded, adaptive spinning before a thread parks. Waits are spun only by threads (a producer's
 * `put`, a [dev.sluice.audio.BlockingAudioReader] iterator), never by a coroutine, which must not
 * hold its dispatcher's thread. [lock]'s tries are for every caller: a lane's lock is only ever held
 * for a few field updates.
 *
 * **Why.** Waking a parked thread can take tens of microseconds (on the 2-core machine of B5, about
 * 25 µs), while a queue of 64 chunks fills or drains in a few. A thread that parks as soon as it
 * must wait makes the other side pay a full wake-up for every queue-full of chunks; a thread that
 * spins a little longer than a wake-up takes meets the other side still running.
 *
 * **Adaptive.** Each waiter keeps a budget, [MAX_NANOS] at first. A wait that ended within
 * [MAX_NANOS] (a hot handoff) sets it back to [MAX_NANOS]; a longer one (a consumer paced by real
 * time, say one chunk every 20 ms) halves it, so that such a waiter soon stops spinning: over any
 * run of long waits its spins add up to less than twice [MAX_NANOS]. With one CPU nothing spins:
 * the spinner would only keep the other side from running.
 */
internal object Spin {
    /** The longest spin before a park, in ns; 0 with one CPU. */
    val MAX_NANOS: Int = if (Runtime.getRuntime().availableProcessors() > 1) 50_000 else 0

    /** How long a producer that found a queue full waits between two tries, in ns. */
    private const val BACKOFF_NANOS = 5_000

    /** Tries of a contended lock before [lock] blocks on it. */
    private const val LOCK_TRIES = 2_000

    /** The next budget of a waiter that began a wait with [budget] and waited [waitedNanos]. */
    fun adapt(
        budget: Int,
        waitedNanos: Long,
    ): Int = if (waitedNanos <= MAX_NANOS) MAX_NANOS else budget / 2

    /**
     * Busy-waits [BACKOFF_NANOS], or until [budget] ns after [start] if that is sooner; false once
     * the budget is spent, and false without waiting when the thread is interrupted.
     */
    fun backOff(
        start: Long,
        budget: Int,
    ): Boolean {
        var now = System.nanoTime()
        if (now - start >= budget || Thread.currentThread().isInterrupted) return false
        val until = minOf(now + BACKOFF_NANOS, start + budget)
        while (now - until < 0) now = System.nanoTime()
        return true
    }

    /**
     * Locks [lock], trying it a while before blocking on it. A lane's lock is held only for a few
     * field updates, so a contended try soon succeeds; blocking at once would park the thread, and
     * its wake-up would cost far more than the wait (B5, where a spinning consumer and its producer
     * take the lock in turns for every chunk).
     */
    fun lock(lock: Lock) {
        if (MAX_NANOS > 0) {
            for (k in 0 until LOCK_TRIES) if (lock.tryLock()) return
        }
        lock.lock()
    }
}

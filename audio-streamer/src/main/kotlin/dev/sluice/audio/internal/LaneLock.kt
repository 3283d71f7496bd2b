package dev.sluice.audio.internal

import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.AbstractQueuedSynchronizer
import java.util.concurrent.locks.Condition
import java.util.concurrent.locks.Lock

/**
 * A non-reentrant mutex: the lock a [SampleLane] is (it extends this class rather than holding one).
 * A lane's lock is never taken twice by one thread, so it needs no hold count, and unlike a
 * [java.util.concurrent.locks.ReentrantLock] it records no owner thread. That record is a
 * reference store at every lock: into a lane that the collector has promoted, it dirties a card
 * for G1's refinement threads to scan, at every put and every take (B8, with 10,000 promoted
 * lanes). Taking it is one compare-and-set of an `int`; contended, it queues like any
 * [AbstractQueuedSynchronizer]. [newCondition] gives a condition for threads that hold it.
 */
internal abstract class LaneLock :
    AbstractQueuedSynchronizer(),
    Lock {
    /**
     * Reads before it writes: a thread that tries the lock many times ([Spin.lock]) then only
     * shares the cache line of the lane's fields while the lock is held, instead of taking it from
     * the holder at every try, which slows the holder (a B6 wake-up took twice as long).
     */
    override fun tryAcquire(arg: Int): Boolean = state == 0 && compareAndSetState(0, 1)

    override fun tryRelease(arg: Int): Boolean {
        if (state == 0) throw IllegalMonitorStateException("a lane's lock released while not held")
        state = 0
        return true
    }

    override fun isHeldExclusively(): Boolean = state != 0

    override fun lock() = acquire(1)

    override fun lockInterruptibly() = acquireInterruptibly(1)

    override fun tryLock(): Boolean = tryAcquire(1)

    override fun tryLock(
        time: Long,
        unit: TimeUnit,
    ): Boolean = tryAcquireNanos(1, unit.toNanos(time))

    override fun unlock() {
        release(1)
    }

    override fun newCondition(): Condition = ConditionObject()
}

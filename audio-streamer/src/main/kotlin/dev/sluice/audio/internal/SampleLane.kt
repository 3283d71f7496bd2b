package dev.sluice.audio.internal

import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioOverflow
import kotlinx.coroutines.channels.Channel
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.locks.Condition
import java.util.concurrent.locks.ReentrantLock

/**
 * The queue and state of one sample. Every field but the signals and [claimed] is guarded by
 * [lock], which is only ever held for a few field updates, never across a wait.
 *
 * Waiting: a consumer that found the queue empty sets [consumerWaiting] before it waits on the
 * conflated [data] signal, outside the lock. A producer that found it full counts itself in
 * [waitingProducers] and then waits: a coroutine on the conflated [space] signal, outside the
 * lock; a thread on [spaceFree], which releases the lock while it waits. Whoever changes the
 * queue under the lock signals the other side only when somebody waits, so nothing is lost and
 * nothing is sent in vain on the fast path. Producers are woken once the queue has drained to
 * half its capacity (or the lane closed), not after every take, so that a fast producer refills
 * it in one go instead of parking once per chunk.
 */
internal class SampleLane(
    val index: Int,
    private val capacity: Int,
    private val channels: Int,
) {
    enum class State { OPEN, ENDED, FAILED, CANCELLED }

    enum class Put { ENQUEUED, DROPPED, FULL }

    val lock = ReentrantLock()
    val spaceFree: Condition = lock.newCondition()
    val queue = ArrayDeque<AudioChunk>()
    var state = State.OPEN
    var cause: Throwable? = null
    var consumerWaiting = false
    var waitingProducers = 0
    var dropped = 0L
    private var nextSequence = 0L
    private var nextFrame = 0L

    val data = Channel<Unit>(Channel.CONFLATED)
    val space = Channel<Unit>(Channel.CONFLATED)
    val claimed = AtomicBoolean(false)

    val isFull: Boolean get() = queue.size >= capacity

    /** Producers waiting for room are woken when the queue has drained to this size. */
    private val wakeAt = capacity / 2

    /** Enqueues [samples] or says why not. Call with [lock] held. */
    fun offer(
        samples: FloatArray,
        overflow: AudioOverflow,
    ): Put {
        if (state != State.OPEN) {
            dropped++
            return Put.DROPPED
        }
        if (isFull) {
            if (overflow != AudioOverflow.DROP_OLDEST) return Put.FULL
            queue.removeFirst()
            dropped++
        }
        queue.addLast(AudioChunk(index, nextSequence++, samples, nextFrame))
        nextFrame += samples.size / channels
        wakeConsumer()
        return Put.ENQUEUED
    }

    /** Takes the oldest chunk, or returns null. Call with [lock] held. */
    fun poll(): AudioChunk? {
        val chunk = queue.removeFirstOrNull() ?: return null
        consumerWaiting = false
        if (queue.size <= wakeAt) wakeProducers()
        return chunk
    }

    /** Moves an open lane to [to]; wakes both sides. Call with [lock] held. Returns whether it changed. */
    fun close(
        to: State,
        cause: Throwable? = null,
    ): Boolean {
        if (state != State.OPEN) return false
        state = to
        this.cause = cause
        wakeConsumer()
        wakeProducers()
        return true
    }

    /** Drops every queued chunk, counting them. Call with [lock] held. Returns how many. */
    fun discard(): Int {
        val n = queue.size
        dropped += n
        queue.clear()
        wakeProducers()
        return n
    }

    fun wakeConsumer() {
        if (consumerWaiting) data.trySend(Unit)
    }

    fun wakeProducers() {
        if (waitingProducers > 0) {
            space.trySend(Unit)
            spaceFree.signalAll()
        }
    }

    /**
     * Enqueues [samples] from a thread, blocking on [spaceFree] while the queue is full and
     * [overflow] is WAIT. Call with [lock] held; the wait releases it.
     */
    fun offerBlocking(
        samples: FloatArray,
        overflow: AudioOverflow,
    ) {
        while (offer(samples, overflow) == Put.FULL) {
            waitingProducers++
            try {
                spaceFree.await()
            } finally {
                waitingProducers--
            }
        }
        // Several producers may wait: pass the wake-up on while there is room.
        if (waitingProducers > 0 && (!isFull || state != State.OPEN)) wakeProducers()
    }
}

/** Runs [block] with the lane's lock held. */
internal inline fun <R> SampleLane.locked(block: SampleLane.() -> R): R {
    lock.lock()
    try {
        return block()
    } finally {
        lock.unlock()
    }
}

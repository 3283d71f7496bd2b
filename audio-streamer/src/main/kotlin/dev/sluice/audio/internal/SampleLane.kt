package dev.sluice.audio.internal

import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioOverflow
import dev.sluice.audio.AudioStreamOverflowException
import kotlinx.coroutines.CompletableJob
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.locks.Condition
import kotlin.time.Duration

/**
 * The queue of one sample and the whole protocol around it: offers (plain, blocking, suspending
 * and all-or-nothing over several lanes), taking a chunk or the lane's state, waiting, closing and
 * cancelling. Its state is private; every field is guarded by [lock] (the lane itself), which is only ever held for a
 * few field updates, never across a wait.
 *
 * **Waiting without lost wake-ups.** A consumer that finds the queue empty, or takes its last
 * chunk, sets `consumerWaiting` under the lock, then waits on the conflated `data` signal ([WakeSignal]) outside it. A producer that finds it
 * full counts itself in `waitingProducers` and waits: a coroutine on the conflated `space` channel
 * (made when one first waits), outside the lock; a thread on `spaceFree`, which releases the lock while it waits. Whoever
 * changes the queue under the lock signals the other side when somebody waits (its own consumer
 * just after the lock is released, so it does not wake only to block on the lock), and a conflated
 * signal keeps a wake-up that comes before its wait. A lane read as part of a batch signals its
 * [ReadySet] instead of `data`, adding itself to it. Producers are woken once the queue has drained
 * to half its capacity (or the lane closed), and each woken producer passes the wake-up on while
 * there is room, also when it is cancelled while it waits.
 */
internal class SampleLane(
    val index: Int,
    private val capacity: Int,
    private val channels: Int,
    private val overflow: AudioOverflow,
) : LaneLock() {
    private enum class State { OPEN, ENDED, FAILED, CANCELLED }

    /**
     * The lane is its own lock: it extends [LaneLock] instead of holding one, so that every
     * put and take reaches the lock's state through one object less. With thousands of samples
     * these objects are cold in the cache at every chunk (B8). Only this class locks it.
     */
    private val lock: LaneLock get() = this

    /** Where producer threads wait for room; made when one first waits: most lanes never need it. */
    private var spaceFree: Condition? = null

    /**
     * The queue, a ring held in the lane's own fields rather than in a queue object (one object less
     * to reach per put and take, and none for an idle lane): [queued] chunks from [head], in an
     * array whose size is a power of two, grown on demand and empty until the first chunk, and
     * replaced by a new one while the lane is busy (see [writesLeft]).
     */
    private var ring: Array<AudioChunk?> = NO_CHUNKS
    private var head = 0

    /**
     * How many more chunks [ring] takes before [addLast] replaces it by a new array of the same
     * size: [RENEW_EVERY] times its size. A busy ring is thus always young, and so is every chunk
     * stored in it. With G1 that matters: a young chunk stored into an array the collector has
     * promoted (a long-lived lane's) dirties a card, which a refinement thread must then scan,
     * for every chunk. Seen in B8 with promoted lanes: about half the throughput. A store into a
     * young array costs the collector nothing, and a new ring costs about 2 bytes per chunk.
     */
    private var writesLeft = 0
    private var queued = 0
    private var state = State.OPEN
    private var consumerWaiting = false
    private var waitingProducers = 0
    private var dropped = 0L
    private var nextIndex = 0L
    private var nextOffset = 0L
    private val data = WakeSignal()

    /** Made when a coroutine producer first waits for room: most lanes never need it. */
    private var space: Channel<Unit>? = null
    private val claimed = AtomicBoolean(false)

    /**
     * Set under the lock when the lane's own consumer (not a batch's) must be woken. The wake-up is
     * sent once the lock is released, so that the consumer does not wake up only to block on it.
     */
    private var wakeAfterUnlock = false

    /** See [takeDrained]. */
    private var drained = false

    /** The batch this lane's consumer reads it in, if any; set before the consumer's first poll. */
    private var batch: ReadySet? = null

    /**
     * How long a producer thread that finds the queue full spins before it blocks ([Spin]). Producer
     * threads share it without the lock: it is only a hint, and a lost update costs one spin.
     */
    private var producerSpin = Spin.MAX_NANOS

    /** Producers waiting for room are woken when the queue has drained to this size. */
    private val wakeAt = capacity / 2

    /** The producer's cause, once the lane failed. Written under the lock before the state. */
    var failure: Throwable? = null
        private set

    val isCancelled: Boolean get() = locked { state == State.CANCELLED }

    val droppedCount: Long get() = locked { dropped }

    val queuedCount: Int get() = locked { queued }

    /** The budget of a producer's spin on a full queue, in ns; for tests. */
    val producerSpinNanos: Int get() = producerSpin

    /** The array that holds the queue now, to tell when it is replaced; for tests. */
    val ringArray: Array<*> get() = locked { ring }

    /** Producers waiting for room now; for tests. */
    val waitingProducerCount: Int get() = locked { waitingProducers }

    // ---- producer side ----

    /**
     * Enqueues [samples] from a thread, blocking while the queue is full with [AudioOverflow.WAIT].
     * A full queue is first tried again for a while ([Spin]): a consumer that is being woken will
     * soon make room, and a parked producer would cost it a second wake-up.
     */
    fun offerBlocking(samples: FloatArray) {
        // Queued at once; or not, and then whether to spin: only for a sample read by its own
        // consumer, which drains it as fast as it can. A batch's consumer takes one chunk of a
        // sample per map, so a producer spinning on one of its samples waits through many maps and
        // slows them down (B6, 8 samples round-robin: about 0.65× with the spin).
        val spins = locked { if (offerAndPassOn(samples)) return else batch == null }
        val start = System.nanoTime()
        val budget = if (spins) producerSpin else 0
        var queuedBySpin = false
        while (!queuedBySpin && budget > 0 && Spin.backOff(start, budget)) {
            // Tried again once the queue drained to where a blocked producer would be woken, as
            // blocked producers are: not for every slot freed, one at a time.
            queuedBySpin = locked { (queued <= wakeAt || state != State.OPEN) && offerAndPassOn(samples) }
        }
        if (!queuedBySpin) {
            locked {
                while (!offerLocked(samples)) {
                    waitingProducers++
                    try {
                        (spaceFree ?: lock.newCondition().also { spaceFree = it }).await()
                    } finally {
                        waitingProducers--
                    }
                }
                passWakeUpOn()
            }
        }
        // One rule for both ways through: a spin that got the chunk in waited less than its budget.
        if (spins) producerSpin = Spin.adapt(budget, System.nanoTime() - start)
    }

    private fun offerAndPassOn(samples: FloatArray): Boolean = offerLocked(samples).also { if (it) passWakeUpOn() }

    /** Enqueues [samples] from a coroutine, suspending while the queue is full with [AudioOverflow.WAIT]. */
    suspend fun offerSuspending(samples: FloatArray) {
        var waited = false
        while (true) {
            // null once the chunk is queued; else the channel to wait on for room.
            val room =
                locked {
                    if (waited) waitingProducers--
                    if (offerLocked(samples)) {
                        passWakeUpOn()
                        null
                    } else {
                        waitingProducers++
                        space ?: Channel<Unit>(Channel.CONFLATED).also { space = it }
                    }
                }
            if (room == null) return
            waited = true
            try {
                room.receive()
            } catch (e: Throwable) {
                // A wake-up meant for this producer may have been taken with it: pass it on.
                locked {
                    waitingProducers--
                    passWakeUpOn()
                }
                throw e
            }
        }
    }

    /** Moves an open lane to ENDED; false if it was not open. */
    fun end(): Boolean = close(State.ENDED, null)

    /** Moves an open lane to FAILED with [cause]; false if it was not open. */
    fun fail(cause: Throwable): Boolean = close(State.FAILED, cause)

    /** Cancels an open lane: its queued chunks are dropped and counted. False if it was not open. */
    fun cancel(): Boolean =
        locked {
            if (state != State.OPEN) return@locked false
            dropped += queued
            clearQueue()
            closeLocked(State.CANCELLED, null)
            true
        }

    // ---- consumer side ----

    /** Makes the caller the lane's one consumer; false if it already has one. */
    fun claim(): Boolean = claimed.compareAndSet(false, true)

    /** Undoes a [claim] of a consumer that never started. */
    fun unclaim() {
        claimed.set(false)
    }

    /**
     * Takes the oldest chunk, or says why there is none: null when the lane is open and empty
     * (the consumer is then marked as waiting), or one of [ENDED], [FAILED] and [CANCELLED] once
     * the queue is empty and the lane closed.
     */
    fun poll(): AudioChunk? =
        locked {
            val chunk = removeFirstOrNull()
            if (chunk != null) {
                // Taking the last chunk of an open lane marks the consumer waiting at once, so that
                // its next receive waits straight away instead of locking only to find nothing.
                consumerWaiting = batch == null && state == State.OPEN && queued == 0
                drained = consumerWaiting
                if (queued <= wakeAt) wakeProducers()
                return@locked chunk
            }
            when (state) {
                State.OPEN -> null.also { consumerWaiting = true }
                State.ENDED -> ENDED
                State.FAILED -> FAILED
                State.CANCELLED -> CANCELLED
            }
        }

    /**
     * Whether the consumer's last [poll] took the last chunk of an open lane, which marked it
     * waiting: its next receive may then wait before it polls. Clears the mark, so that a wait that
     * is abandoned (a timeout, a cancellation) is followed by a poll, which a wake-up lost to the
     * abandoned waiter needs. Only the consumer reads and writes it, in [poll] and here.
     */
    fun takeDrained(): Boolean = drained.also { drained = false }

    /**
     * Waits for a signal that [poll] may find something, for at most [timeout] (forever when null).
     * Its value means nothing; it is `Any?` so that both waits are tail calls (see [WakeSignal.await]).
     */
    suspend fun awaitData(timeout: Duration?): Any? =
        // Without a timeout, wait directly: no lambda and no message made for every wait.
        if (timeout == null) data.await() else awaitSignal(timeout, "sample $index") { data.await() }

    /**
     * [awaitData] for a consumer on a plain thread: parks it until a signal that [poll] may find
     * something, for at most [timeout] (forever when null). Throws
     * [dev.sluice.audio.AudioStreamTimeoutException] when the wait outlasts [timeout], and
     * [InterruptedException] when the thread is interrupted (see [WakeSignal.awaitBlocking]).
     */
    fun awaitDataBlocking(timeout: Duration?) {
        if (!data.awaitBlocking(timeout?.inWholeNanoseconds ?: Long.MAX_VALUE)) throw timedOut("sample $index", timeout!!)
    }

    /**
     * Waits, without a cancellable continuation, for a signal that [poll] may find something. Only
     * for a consumer that holds a [wakeOnCancel] job of its coroutine, and checks for cancellation
     * after every wait: then a cancellation wakes it like a chunk would.
     */
    suspend fun awaitDataWake(): Any? = data.awaitWake()

    /**
     * A child of [parent] that wakes this lane's consumer when [parent] is cancelled, so that its
     * [awaitDataWake] returns and it sees the cancellation. One job and one handler for the whole
     * consumer, instead of a handler on its job for every wait. Complete it when the consumer stops.
     */
    fun wakeOnCancel(parent: Job): CompletableJob = Job(parent).also { it.invokeOnCompletion { data.signal() } }

    /** Makes [set] the signal of this lane's consumer, a batch, instead of `data`. */
    fun joinBatch(set: ReadySet) {
        locked { batch = set }
    }

    /** Counts a chunk that was taken but could not be handed on. */
    fun countDropped() {
        locked { dropped++ }
    }

    // ---- under the lock ----

    private fun offerLocked(samples: FloatArray): Boolean {
        if (state != State.OPEN) {
            dropped++
            return true
        }
        if (queued >= capacity) {
            when (overflow) {
                AudioOverflow.WAIT -> return false
                AudioOverflow.FAIL -> throw fullError(1)
                AudioOverflow.DROP_OLDEST -> {
                    removeFirstOrNull()
                    dropped++
                }
            }
        }
        addLast(AudioChunk(index, nextIndex++, samples, nextOffset))
        nextOffset += if (channels == 1) samples.size else samples.size / channels
        if (consumerWaiting) signalConsumer()
        return true
    }

    private fun addLast(chunk: AudioChunk) {
        if (queued == ring.size || writesLeft == 0) renew()
        ring[(head + queued) and (ring.size - 1)] = chunk
        queued++
        writesLeft--
    }

    private fun removeFirstOrNull(): AudioChunk? {
        if (queued == 0) return null
        val chunk = ring[head]
        ring[head] = null
        head = (head + 1) and (ring.size - 1)
        queued--
        return chunk
    }

    /**
     * Replaces the ring by a new array, keeping the queued chunks in order from slot 0: twice the
     * size when it is full (4 slots at first), else the same size once it has taken [writesLeft]
     * chunks. See [writesLeft] for why a ring is not kept for ever.
     */
    private fun renew() {
        val size =
            if (queued < ring.size) {
                ring.size
            } else {
                check(ring.size < MAX_RING) { "sample $index holds ${ring.size} chunks, the most a queue can" }
                if (ring.isEmpty()) 4 else ring.size * 2
            }
        val next = arrayOfNulls<AudioChunk>(size)
        for (k in 0 until queued) next[k] = ring[(head + k) and (ring.size - 1)]
        ring = next
        head = 0
        writesLeft = if (size >= MAX_RING / RENEW_EVERY) Int.MAX_VALUE else size * RENEW_EVERY
    }

    /** Empties the queue and lets go of its array. */
    private fun clearQueue() {
        ring = NO_CHUNKS
        writesLeft = 0
        head = 0
        queued = 0
    }

    private fun fullError(incoming: Int) =
        AudioStreamOverflowException("sample $index is full: $queued of $capacity chunks queued, $incoming more put")

    private fun close(
        to: State,
        cause: Throwable?,
    ): Boolean =
        locked {
            if (state != State.OPEN) return@locked false
            closeLocked(to, cause)
            true
        }

    private fun closeLocked(
        to: State,
        cause: Throwable?,
    ) {
        failure = cause
        state = to
        if (batch == null) {
            wakeAfterUnlock = true
        } else if (consumerWaiting) {
            signalConsumer()
        }
        wakeProducers()
    }

    /**
     * Tells the consumer, which found the queue empty, that it changed. A batch's consumer polls
     * again only the lanes in its [ReadySet], so a lane adds itself there once and is then no longer
     * marked waiting; the consumer's next poll marks it again if it is still empty.
     */
    private fun signalConsumer() {
        val set = batch
        if (set == null) {
            wakeAfterUnlock = true
        } else {
            consumerWaiting = false
            set.add(index)
        }
    }

    private fun wakeProducers() {
        if (waitingProducers > 0) {
            space?.trySend(Unit)
            spaceFree?.signalAll()
        }
    }

    /** Several producers may wait on one conflated signal: wake the next one while there is room. */
    private fun passWakeUpOn() {
        if (waitingProducers > 0 && (queued < capacity || state != State.OPEN)) wakeProducers()
    }

    private inline fun <R> locked(block: () -> R): R {
        Spin.lock(lock)
        try {
            return block()
        } finally {
            val wake = takeWake()
            lock.unlock()
            if (wake) data.signal()
        }
    }

    /** Takes the pending wake-up of the consumer, under the lock. */
    private fun takeWake(): Boolean = wakeAfterUnlock.also { wakeAfterUnlock = false }

    companion object {
        private val NO_CHUNKS = arrayOfNulls<AudioChunk>(0)

        /** A ring is replaced once it has taken this many times its size in chunks ([writesLeft]). */
        private const val RENEW_EVERY = 4

        /** The largest power of two an array can hold: the ring's bound. */
        private const val MAX_RING = 1 shl 30

        /** What [poll] returns for a lane that ended and is empty. */
        val ENDED = AudioChunk(-1, -1, FloatArray(0), -1)

        /** What [poll] returns for a lane that failed and is empty; the cause is [failure]. */
        val FAILED = AudioChunk(-1, -2, FloatArray(0), -1)

        /** What [poll] returns for a lane that was cancelled. */
        val CANCELLED = AudioChunk(-1, -3, FloatArray(0), -1)

        /**
         * Enqueues `chunks[k]` into `lanes[k]`, all or nothing, for [AudioOverflow.FAIL]: if any
         * open lane would overflow, throws [AudioStreamOverflowException] and enqueues nothing.
         */
        fun offerAll(
            lanes: List<SampleLane>,
            chunks: List<FloatArray>,
        ) {
            val targets = lanes.distinct().sortedBy { it.index }
            targets.forEach { Spin.lock(it.lock) }
            try {
                for (lane in targets) {
                    val incoming = lanes.count { it === lane }
                    if (lane.state == State.OPEN && lane.queued + incoming > lane.capacity) throw lane.fullError(incoming)
                }
                for (k in chunks.indices) lanes[k].offerLocked(chunks[k])
            } finally {
                val wake = targets.filter { it.takeWake() }
                targets.forEach { it.lock.unlock() }
                wake.forEach { it.data.signal() }
            }
        }
    }
}

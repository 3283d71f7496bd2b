package dev.sluice.audio.internal

import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioSampleCancelledException
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration

/**
 * The one rule every consumer end obeys, written once. Opening a lease claims its samples, all or
 * none: if one already has a consumer, the claims made so far are undone and
 * [IllegalStateException] is thrown. Closing it cancels every sample that has not ended (a sample
 * that ended, failed or was cancelled is not affected), so `close()` means "cancel" on every end,
 * and an end that reached its natural end can close it without effect.
 */
internal class Lease private constructor(
    private val lanes: List<SampleLane>,
    private val cancel: (Int) -> Unit,
) : AutoCloseable {
    private val closed = AtomicBoolean(false)

    val isClosed: Boolean get() = closed.get()

    /** Cancels the samples that have not ended. Idempotent and thread-safe. */
    override fun close() {
        if (closed.compareAndSet(false, true)) lanes.forEach { cancel(it.index) }
    }

    companion object {
        /** Claims every lane of [lanes] or none; [cancel] cancels a sample by index. */
        fun open(
            lanes: List<SampleLane>,
            cancel: (Int) -> Unit,
        ): Lease {
            for ((k, lane) in lanes.withIndex()) {
                if (!lane.claim()) {
                    for (j in 0 until k) lanes[j].unclaim()
                    throw IllegalStateException("sample ${lane.index} already has a consumer")
                }
            }
            return Lease(lanes, cancel)
        }
    }
}

/**
 * The next chunk of this lane, or null once it ended; each wait lasts at most [timeout]. Throws
 * the producer's cause after a failure, [AudioSampleCancelledException] for a cancelled lane, and
 * [dev.sluice.audio.AudioStreamTimeoutException] when a wait outlasts [timeout]. Only the wait is
 * timed, and cancellation is checked before taking, never after: a chunk taken is always returned.
 */
internal suspend fun SampleLane.receive(timeout: Duration?): AudioChunk? {
    // The common case, a chunk already queued, takes it without suspending: this function only
    // tail-calls the waiting path, so it needs no state machine and allocates nothing per chunk.
    // A consumer that took the last chunk last time was marked waiting then: it waits at once.
    currentCoroutineContext().ensureActive()
    if (takeDrained()) return receiveAfterWaits(timeout)
    val chunk = poll()
    return if (chunk == null) receiveAfterWaits(timeout) else chunkOrEnd(chunk)
}

/**
 * [receive] for a consumer on a plain thread, which parks instead of suspending: a queued chunk is
 * taken at once, and a wait parks the thread (see [SampleLane.awaitDataBlocking]), so no coroutine
 * and no event loop is made. An interrupted thread gets [InterruptedException] at once, even with a
 * chunk queued, as a `take()` on a `BlockingQueue` would, and so does one interrupted while it waits;
 * the interrupt is checked before taking, never after: a chunk taken is always returned.
 */
internal fun SampleLane.receiveBlocking(timeout: Duration?): AudioChunk? {
    if (Thread.interrupted()) throw InterruptedException()
    // A consumer that took the last chunk last time was marked waiting then: it waits at once.
    if (!takeDrained()) poll()?.let { return chunkOrEnd(it) }
    while (true) {
        awaitDataBlocking(timeout)
        val chunk = poll()
        if (chunk != null) return chunkOrEnd(chunk)
    }
}

/** [receive] once the lane was found empty: waits, then polls again, until it has a chunk or the end. */
internal suspend fun SampleLane.receiveAfterWaits(timeout: Duration?): AudioChunk? {
    while (true) {
        awaitData(timeout)
        currentCoroutineContext().ensureActive()
        val chunk = poll()
        if (chunk != null) return chunkOrEnd(chunk)
    }
}

/**
 * Hands every chunk of this lane to [action], in order, until the lane ends; the same rules as
 * [receive], for a consumer that takes the whole lane. Its waits are made from this one frame, so a
 * consumer that runs dry after every chunk allocates no new continuation per wait: [receive] is a
 * new call each time, and its waiting path a new frame with its own continuation.
 *
 * With a [watch] job from [withCancelWake], the waits are not cancellable one by one: the job
 * wakes the consumer when its coroutine is cancelled, and the check at the top of the loop then
 * throws. That spares a cancellable continuation and a handler on the coroutine's job per wait.
 * Without one (null), each wait is cancellable and lasts at most [timeout].
 */
internal suspend inline fun SampleLane.receiveEach(
    timeout: Duration?,
    watch: Job?,
    action: (AudioChunk) -> Unit,
) {
    while (true) {
        currentCoroutineContext().ensureActive()
        // A consumer that took the last chunk last time was marked waiting then: it waits at once.
        val taken = if (takeDrained()) null else poll()
        if (taken == null) {
            if (watch != null) awaitDataWake() else awaitData(timeout)
            continue
        }
        action(chunkOrEnd(taken) ?: return)
    }
}

/**
 * Runs [consume] with the job that [receiveEach] needs to wait without a cancellable continuation
 * per wait: a [SampleLane.wakeOnCancel] job of the caller's, completed when [consume] returns or
 * throws. It passes null, for cancellable waits, when there is a [timeout] (its timeout cancels
 * each wait) or no job to watch.
 */
internal suspend inline fun <R> SampleLane.withCancelWake(
    timeout: Duration?,
    consume: (Job?) -> R,
): R {
    val job = currentCoroutineContext()[Job]
    val watch = if (timeout == null && job != null) wakeOnCancel(job) else null
    try {
        return consume(watch)
    } finally {
        watch?.complete()
    }
}

/** The chunk [SampleLane.poll] returned, or null for the end, or the lane's failure or cancellation thrown. */
internal fun SampleLane.chunkOrEnd(chunk: AudioChunk): AudioChunk? =
    when {
        chunk === SampleLane.ENDED -> null
        chunk === SampleLane.FAILED -> throw checkNotNull(failure)
        chunk === SampleLane.CANCELLED -> throw AudioSampleCancelledException(index)
        else -> chunk
    }

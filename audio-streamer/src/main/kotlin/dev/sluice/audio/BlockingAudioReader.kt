package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import dev.sluice.audio.internal.receiveBlocking
import kotlinx.coroutines.runBlocking

/**
 * The blocking consumer ends of an [AsyncAudioStreamer], for consumers on plain threads. It only
 * consumes: producers call the engine. Timeouts, end, failure and cancellation behave exactly as
 * on the engine's other ends: `hasNext()` blocks until a chunk comes, returns false after `end`,
 * and throws the producer's cause after `fail`, [AudioStreamTimeoutException] after the timeout
 * and [AudioSampleCancelledException] for a cancelled sample.
 *
 * Each iterator is a consumer end: close it (try-with-resources, or `use`) when done. Closing it
 * before its end cancels its samples, and so does any exception from `hasNext()`.
 *
 * An [iterator]'s thread that finds its sample empty watches for a chunk for up to 50 µs before it
 * parks (less and less while its waits are long, not at all with one CPU), so that a producer that
 * is running hands its next chunk over without a park and an unpark.
 *
 * @sample dev.sluice.audio.samples.blockingSample
 */
public class BlockingAudioReader(
    /** The engine this view reads. */
    public val engine: AsyncAudioStreamer,
) {
    /**
     * A blocking iterator over the chunks of [sampleIndex].
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     * @throws IllegalStateException if the sample already has a consumer.
     */
    public fun iterator(sampleIndex: Int): CloseableIterator<AudioChunk> {
        val lane = engine.lane(sampleIndex)
        val lease = engine.open(listOf(lane))
        // The calling thread takes a queued chunk, and parks when it must wait: no coroutine.
        return BlockingIterator(lease, { lane.countDropped() }) { lane.receiveBlocking(engine.timeout) }
    }

    /**
     * A blocking iterator over the batch: maps `sampleIndex -> chunk` as [AsyncAudioStreamer.batch]
     * emits them. It claims every sample, or none if one already has a consumer.
     *
     * @throws IllegalStateException if a sample already has a consumer.
     */
    public fun batches(): CloseableIterator<Map<Int, AudioChunk>> {
        val lanes = engine.allLanes()
        val lease = engine.open(lanes)
        val cursor = BatchCursor(lanes)
        // runBlocking throws InterruptedException at once for an interrupted thread, as a take() would.
        return BlockingIterator(lease, { map -> map.keys.forEach { lanes[it].countDropped() } }) {
            runBlocking { cursor.next(engine.timeout) }
        }
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "BlockingAudioReader($engine)"

    /**
     * Reads with [read], which blocks until it has a value, or returns null at the end, and throws
     * [InterruptedException] for an interrupted thread. Closes (cancels) on any error. A value read
     * by `hasNext()` but never taken by `next()` is counted as dropped by [drop] on close.
     */
    private class BlockingIterator<T : Any>(
        private val lease: AutoCloseable,
        private val drop: (T) -> Unit,
        private val read: () -> T?,
    ) : CloseableIterator<T> {
        private var next: T? = null
        private var finished = false

        override fun hasNext(): Boolean {
            if (next != null) return true
            if (finished) return false
            val value =
                try {
                    read()
                } catch (e: Throwable) {
                    close()
                    throw e
                }
            if (value == null) finished = true
            next = value
            return value != null
        }

        override fun next(): T {
            if (!hasNext()) throw NoSuchElementException("the stream has ended")
            return next!!.also { next = null }
        }

        override fun close() {
            finished = true
            next?.let(drop)
            next = null
            lease.close()
        }
    }
}

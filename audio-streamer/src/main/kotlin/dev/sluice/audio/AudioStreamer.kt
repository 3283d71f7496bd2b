package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import dev.sluice.audio.internal.SampleLane
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration

/**
 * The blocking view of an [AsyncAudioStreamer]: the same engine, with the same producer API, and
 * consumers that are plain threads holding [Iterator]s. Timeouts, end and failure behave exactly
 * as in the asynchronous streamer: `hasNext()` blocks until a chunk comes, returns false after
 * `end`, and throws the producer's cause after `fail` or [AudioStreamTimeoutException] after the
 * timeout. Closing an iterator before its end cancels its samples.
 *
 * @sample dev.sluice.audio.samples.blockingSample
 */
public class AudioStreamer(
    /** The engine this view reads. Producer calls go straight to it. */
    public val engine: AsyncAudioStreamer,
) : Iterable<Map<Int, AudioChunk>> {
    /** Creates a streamer on a new engine; the parameters are those of [AsyncAudioStreamer]. */
    public constructor(
        batchSize: Int,
        capacity: Int = AsyncAudioStreamer.DEFAULT_CAPACITY,
        overflow: AudioOverflow = AudioOverflow.WAIT,
        timeout: Duration? = null,
        channels: Int = 1,
    ) : this(AsyncAudioStreamer(batchSize, capacity, overflow, timeout, channels))

    /** The number of samples. */
    public val batchSize: Int get() = engine.batchSize

    /** See [AsyncAudioStreamer.droppedChunks]. */
    public val droppedChunks: Long get() = engine.droppedChunks

    /** See [AsyncAudioStreamer.put]. */
    @Throws(InterruptedException::class)
    public fun put(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ): Unit = engine.put(chunks, sampleIndices)

    /** See [AsyncAudioStreamer.put]. */
    @Throws(InterruptedException::class)
    public fun put(
        chunk: FloatArray,
        sampleIndex: Int,
    ): Unit = engine.put(chunk, sampleIndex)

    /** See [AsyncAudioStreamer.send]. */
    public suspend fun send(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ): Unit = engine.send(chunks, sampleIndices)

    /** See [AsyncAudioStreamer.end]. */
    public fun end(sampleIndices: IntArray): Unit = engine.end(sampleIndices)

    /** See [AsyncAudioStreamer.end]. */
    public fun end(): Unit = engine.end()

    /** See [AsyncAudioStreamer.fail]. */
    public fun fail(cause: Throwable): Unit = engine.fail(cause)

    /** See [AsyncAudioStreamer.isCancelled]. */
    public fun isCancelled(sampleIndex: Int): Boolean = engine.isCancelled(sampleIndex)

    /** See [AsyncAudioStreamer.addCancellationListener]. */
    public fun addCancellationListener(listener: SampleCancellationListener): Unit = engine.addCancellationListener(listener)

    /**
     * A blocking iterator over the chunks of [sampleIndex]. The sample may have one consumer.
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     * @throws IllegalStateException if the sample already has a consumer.
     */
    public fun stream(sampleIndex: Int): CloseableIterator<AudioChunk> {
        val receiver = engine.receiver(sampleIndex)
        return BlockingIterator(onClose = receiver::close) { receiver.receive() }
    }

    /**
     * A blocking iterator over the batch: maps `sampleIndex -> chunk` as [AsyncAudioStreamer.batch]
     * emits them. It claims every sample.
     *
     * @throws IllegalStateException if a sample already has a consumer.
     */
    override fun iterator(): CloseableIterator<Map<Int, AudioChunk>> {
        val lanes: List<SampleLane> = engine.allLanes()
        lanes.forEach(engine::claim)
        val cursor = BatchCursor(lanes)
        return BlockingIterator(onClose = { cursor.liveIndices().forEach(engine::cancel) }) { engine.nextBatch(cursor) }
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "AudioStreamer($engine)"

    /** Reads with [read], which returns null at the end; closes (cancels) on any error. */
    private class BlockingIterator<T : Any>(
        private val onClose: () -> Unit,
        private val read: suspend () -> T?,
    ) : CloseableIterator<T> {
        private var next: T? = null
        private var finished = false

        override fun hasNext(): Boolean {
            if (next != null) return true
            if (finished) return false
            val value =
                try {
                    runBlocking { read() }
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
            if (finished) return
            finished = true
            next = null
            onClose()
        }
    }
}

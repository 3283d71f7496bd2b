package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import dev.sluice.audio.internal.SampleLane
import dev.sluice.audio.internal.awaitSignal
import dev.sluice.audio.internal.handOverFlow
import dev.sluice.audio.internal.locked
import kotlinx.coroutines.flow.Flow
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration

/**
 * Carries the audio of a batch of generated samples from the generating thread to consumers.
 *
 * **Producer side**, callable from any thread: [put] (blocking when a sample is full and
 * [overflow] is [AudioOverflow.WAIT]), [send] (suspending instead), [end] and [fail]. Indices are
 * checked before anything is enqueued: an index outside `0 until batchSize` is an
 * [IllegalArgumentException] and nothing of that call is enqueued. Chunks for a sample that has
 * ended, failed or been cancelled are dropped and counted in [droppedChunks].
 *
 * **Bounded.** Each sample queues at most [capacity] chunks; [overflow] says what a put does when
 * the sample is full. [UNLIMITED] asks for an unbounded queue.
 *
 * **Consumer side**: [stream] is a cold [Flow] of one sample's chunks, [batch] a [Flow] of maps
 * `sampleIndex -> chunk` over the whole batch. Each sample has one consumer: a second collector is
 * an [IllegalStateException]. A stream completes after [end], throws the producer's cause after
 * [fail] (once the chunks already queued are delivered), and throws [AudioStreamTimeoutException]
 * when no chunk comes within [timeout]. Waiting suspends; nothing polls or sleeps.
 *
 * **Cancellation flows back.** When a consumer stops before its sample ended (it cancels, throws,
 * times out, or takes only what it needs), the sample is cancelled: [isCancelled] turns true, the
 * [SampleCancellationListener]s are called, queued chunks are dropped, and later chunks for it are
 * dropped, not queued. The other samples go on.
 *
 * The streamer starts no thread and no coroutine: it holds queues, and callers wait on them.
 *
 * @sample dev.sluice.audio.samples.vibeVoiceShapeSample
 * @throws IllegalArgumentException if [batchSize], [capacity] or [channels] is less than 1, or
 *   [timeout] is not positive.
 */
public class AsyncAudioStreamer(
    /** The number of samples generated side by side. */
    public val batchSize: Int,
    /** The most chunks one sample queues; [UNLIMITED] for no bound. */
    public val capacity: Int = DEFAULT_CAPACITY,
    /** What a put does when a sample is full. */
    public val overflow: AudioOverflow = AudioOverflow.WAIT,
    /** How long a consumer waits for its next chunk before [AudioStreamTimeoutException]; null waits forever. */
    public val timeout: Duration? = null,
    /** Values per sample frame: every chunk's length must be a whole number of them. */
    public val channels: Int = 1,
) {
    init {
        require(batchSize >= 1) { "batchSize must be >= 1, was $batchSize" }
        require(capacity >= 1) { "capacity must be >= 1, was $capacity" }
        require(channels >= 1) { "channels must be >= 1, was $channels" }
        require(timeout == null || timeout.isPositive()) { "timeout must be positive, was $timeout" }
    }

    private val lanes = List(batchSize) { SampleLane(it, capacity, channels) }
    private val listeners = CopyOnWriteArrayList<SampleCancellationListener>()

    /** Chunks dropped so far: by [AudioOverflow.DROP_OLDEST], and for ended, failed or cancelled samples. */
    public val droppedChunks: Long get() = lanes.sumOf { lane -> lane.locked { dropped } }

    /** Chunks queued now, over all samples. */
    public val queuedChunks: Int get() = lanes.sumOf { lane -> lane.locked { queue.size } }

    /** Chunks dropped so far for [sampleIndex]. */
    public fun droppedChunks(sampleIndex: Int): Long = lane(sampleIndex).locked { dropped }

    /**
     * Enqueues `chunks[k]` for sample `sampleIndices[k]`, in order, from any thread. The streamer
     * keeps the arrays without copying them. With [AudioOverflow.WAIT] the calling thread blocks
     * while a sample is full; from a coroutine, use [send].
     *
     * @throws IllegalArgumentException if the lists differ in size, an index is outside
     *   `0 until batchSize`, or a chunk is not a whole number of sample frames; nothing is enqueued.
     * @throws AudioStreamOverflowException with [AudioOverflow.FAIL] when a sample would overflow;
     *   nothing is enqueued.
     * @throws InterruptedException if the thread is interrupted while it waits for room; the chunks
     *   before the one it waited for are enqueued, the rest are not.
     */
    @Throws(InterruptedException::class)
    public fun put(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ) {
        checkPut(chunks, sampleIndices)
        if (overflow == AudioOverflow.FAIL) return putAllOrNothing(chunks, sampleIndices)
        for (k in chunks.indices) lanes[sampleIndices[k]].locked { offerBlocking(chunks[k], overflow) }
    }

    /** Enqueues one [chunk] for [sampleIndex]; see [put]. */
    @Throws(InterruptedException::class)
    public fun put(
        chunk: FloatArray,
        sampleIndex: Int,
    ) {
        if (overflow == AudioOverflow.FAIL) return put(listOf(chunk), intArrayOf(sampleIndex))
        checkIndex(sampleIndex)
        checkChunk(0, chunk)
        lanes[sampleIndex].locked { offerBlocking(chunk, overflow) }
    }

    /** Like [put], but suspends instead of blocking while a sample is full. */
    public suspend fun send(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ) {
        checkPut(chunks, sampleIndices)
        if (overflow == AudioOverflow.FAIL) return putAllOrNothing(chunks, sampleIndices)
        for (k in chunks.indices) offerWaiting(lanes[sampleIndices[k]], chunks[k])
    }

    /** Enqueues one [chunk] for [sampleIndex]; see [send]. */
    public suspend fun send(
        chunk: FloatArray,
        sampleIndex: Int,
    ) {
        send(listOf(chunk), intArrayOf(sampleIndex))
    }

    /**
     * Ends the given samples: their consumers get the chunks already queued, then their streams
     * complete. Ending a sample again, or one that failed or was cancelled, has no effect.
     *
     * @throws IllegalArgumentException if an index is outside `0 until batchSize`; nothing ends.
     */
    public fun end(sampleIndices: IntArray) {
        sampleIndices.forEach(::checkIndex)
        for (i in sampleIndices) lanes[i].locked { close(SampleLane.State.ENDED) }
    }

    /** Ends every sample; see [end]. */
    public fun end() {
        for (lane in lanes) lane.locked { close(SampleLane.State.ENDED) }
    }

    /**
     * Fails every sample that has not ended: each consumer gets the chunks already queued, then
     * [cause] is thrown to it. Samples that ended or were cancelled are not affected.
     */
    public fun fail(cause: Throwable) {
        for (lane in lanes) lane.locked { close(SampleLane.State.FAILED, cause) }
    }

    /** Whether the consumer of [sampleIndex] stopped before the sample ended. */
    public fun isCancelled(sampleIndex: Int): Boolean = lane(sampleIndex).locked { state == SampleLane.State.CANCELLED }

    /**
     * Calls [listener] whenever a sample is cancelled, and at once for every sample that already is.
     */
    public fun addCancellationListener(listener: SampleCancellationListener) {
        listeners.add(listener)
        for (lane in lanes) if (lane.locked { state == SampleLane.State.CANCELLED }) listener.onCancelled(lane.index)
    }

    /** Stops calling [listener]. */
    public fun removeCancellationListener(listener: SampleCancellationListener) {
        listeners.remove(listener)
    }

    /**
     * Cancels [sampleIndex] from the consumer side, as if its consumer had stopped: queued chunks
     * are dropped, later ones too, and the listeners learn of it. No effect on a sample that ended.
     */
    public fun cancel(sampleIndex: Int) {
        val lane = lane(sampleIndex)
        val cancelled =
            lane.locked {
                discard()
                close(SampleLane.State.CANCELLED)
            }
        if (cancelled) listeners.forEach { it.onCancelled(sampleIndex) }
    }

    /**
     * The chunks of [sampleIndex], in order, as a cold [Flow] that one collector may collect. It
     * completes after [end] and throws the producer's cause after [fail]. A collector that stops
     * early cancels the sample.
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     * @throws IllegalStateException from `collect` when the sample already has a collector.
     */
    public fun stream(sampleIndex: Int): Flow<AudioChunk> {
        val lane = lane(sampleIndex)
        return handOverFlow { collector ->
            claim(lane)
            var completed = false
            try {
                while (true) collector.emit(receive(lane) ?: break)
                completed = true
            } finally {
                if (!completed) cancel(sampleIndex)
            }
        }
    }

    /**
     * The consumer's handle on [sampleIndex], for taking chunks one at a time with
     * [SampleReceiver.receive]. Like [stream], it makes its caller the sample's one consumer.
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     * @throws IllegalStateException if the sample already has a consumer.
     */
    public fun receiver(sampleIndex: Int): SampleReceiver {
        val lane = lane(sampleIndex)
        claim(lane)
        return SampleReceiver(this, lane)
    }

    /**
     * The whole batch as a [Flow] of maps `sampleIndex -> chunk`. Each map is non-empty and holds
     * the oldest chunk of every sample that has one; while none has, the collector waits in
     * `select`. It completes when every sample has ended, and throws the producer's cause after
     * [fail] once the queued chunks are delivered. It claims every sample, so no sample may have
     * another collector. A collector that stops early cancels the samples that had not ended.
     */
    public fun batch(): Flow<Map<Int, AudioChunk>> =
        handOverFlow { collector ->
            lanes.forEach { claim(it) }
            val cursor = BatchCursor(lanes)
            var completed = false
            try {
                while (true) collector.emit(nextBatch(cursor) ?: break)
                completed = true
            } finally {
                if (!completed) cursor.liveIndices().forEach(::cancel)
            }
        }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "AsyncAudioStreamer(batchSize=$batchSize, capacity=$capacity, overflow=$overflow, timeout=$timeout, channels=$channels)"

    internal fun lane(sampleIndex: Int): SampleLane {
        checkIndex(sampleIndex)
        return lanes[sampleIndex]
    }

    internal fun allLanes(): List<SampleLane> = lanes

    internal fun claim(lane: SampleLane) {
        check(lane.claimed.compareAndSet(false, true)) { "sample ${lane.index} already has a consumer" }
    }

    /** The next chunk of [lane], or null once it ended; each wait lasts at most [timeout]. */
    internal suspend fun receive(lane: SampleLane): AudioChunk? {
        while (true) {
            var ended = false
            val chunk =
                lane.locked {
                    poll() ?: when (state) {
                        SampleLane.State.OPEN -> null.also { consumerWaiting = true }
                        SampleLane.State.FAILED -> throw checkNotNull(cause)
                        else -> null.also { ended = true }
                    }
                }
            if (chunk != null || ended) return chunk
            awaitSignal(timeout, "sample ${lane.index}") { lane.data.receive() }
        }
    }

    /** The next map of the batch, or null once every sample ended; each wait lasts at most [timeout]. */
    internal suspend fun nextBatch(cursor: BatchCursor): Map<Int, AudioChunk>? = cursor.next(timeout)

    private suspend fun offerWaiting(
        lane: SampleLane,
        chunk: FloatArray,
    ) {
        var waited = false
        while (true) {
            val result =
                lane.locked {
                    if (waited) waitingProducers--
                    val r = offer(chunk, overflow)
                    if (r == SampleLane.Put.FULL) {
                        waitingProducers++
                    } else if (waited) {
                        // Several producers may wait on one conflated signal: pass the wake-up on.
                        if (!isFull || state != SampleLane.State.OPEN) wakeProducers()
                    }
                    r
                }
            if (result != SampleLane.Put.FULL) return
            waited = true
            try {
                lane.space.receive()
            } catch (e: Throwable) {
                lane.locked { waitingProducers-- }
                throw e
            }
        }
    }

    private fun putAllOrNothing(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ) {
        val targets = sampleIndices.distinct().sorted().map { lanes[it] }
        targets.forEach { it.lock.lock() }
        try {
            for (lane in targets) {
                val incoming = sampleIndices.count { it == lane.index }
                if (lane.state == SampleLane.State.OPEN && lane.queue.size + incoming > capacity) {
                    throw AudioStreamOverflowException(
                        "sample ${lane.index} is full: ${lane.queue.size} of $capacity chunks queued, $incoming more put",
                    )
                }
            }
            for (k in chunks.indices) lanes[sampleIndices[k]].offer(chunks[k], overflow)
        } finally {
            targets.forEach { it.lock.unlock() }
        }
    }

    private fun checkPut(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ) {
        require(chunks.size == sampleIndices.size) {
            "chunks and sampleIndices differ in size: ${chunks.size} != ${sampleIndices.size}"
        }
        sampleIndices.forEach(::checkIndex)
        chunks.forEachIndexed(::checkChunk)
    }

    private fun checkChunk(
        k: Int,
        chunk: FloatArray,
    ) {
        require(chunk.size % channels == 0) {
            "chunk $k has ${chunk.size} values, not a whole number of sample frames of $channels"
        }
    }

    private fun checkIndex(sampleIndex: Int) {
        require(sampleIndex in 0 until batchSize) { "sampleIndex must be in 0 until $batchSize, was $sampleIndex" }
    }

    /** Constants for the constructor's parameters. */
    public companion object {
        /** The default [capacity]: 64 chunks per sample. */
        public const val DEFAULT_CAPACITY: Int = 64

        /** A [capacity] with no bound. Use with care: a consumer that stalls lets memory grow. */
        public const val UNLIMITED: Int = Int.MAX_VALUE
    }
}

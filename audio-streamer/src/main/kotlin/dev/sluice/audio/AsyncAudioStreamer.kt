package dev.sluice.audio

import dev.sluice.audio.internal.BatchCursor
import dev.sluice.audio.internal.Lease
import dev.sluice.audio.internal.SampleLane
import dev.sluice.audio.internal.handOverFlow
import dev.sluice.audio.internal.receiveEach
import dev.sluice.audio.internal.withCancelWake
import kotlinx.coroutines.flow.Flow
import java.util.concurrent.TimeUnit
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * Carries the audio of a batch of generated samples from the generating thread to consumers. It is
 * the one engine and the one producer type: Kotlin, Java and Android producers call this object.
 * From Java, create it with [builder].
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
 * **Consumer ends**: [stream] (a cold [Flow] of one sample), [batch] (a [Flow] of maps
 * `sampleIndex -> chunk`), [receiver] (one chunk at a time), and the blocking [BlockingAudioReader].
 * Every end obeys one rule: a sample has one consumer (a second is an [IllegalStateException]); an
 * end completes after [end], throws the producer's cause after [fail] (once the chunks already
 * queued are delivered), throws [AudioStreamTimeoutException] when no chunk comes within
 * [timeout], and throws [AudioSampleCancelledException] for a cancelled sample. Closing or
 * cancelling an end before its sample ended cancels the sample. A chunk taken from a queue is
 * delivered or counted as dropped, never lost. Waiting suspends; nothing polls or sleeps.
 *
 * **Cancellation flows back.** When a sample is cancelled, [isCancelled] turns true, each
 * [SampleCancellationListener] is called exactly once for it, queued chunks are dropped, and later
 * chunks for it are dropped, not queued. The other samples go on. Cancelling a sample that ended
 * changes nothing.
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
    @get:JvmSynthetic public val timeout: Duration? = null,
    /** Values per sample frame: every chunk's length must be a whole number of them. */
    public val channels: Int = 1,
) {
    init {
        require(batchSize >= 1) { "batchSize must be >= 1, was $batchSize" }
        require(capacity >= 1) { "capacity must be >= 1, was $capacity" }
        require(channels >= 1) { "channels must be >= 1, was $channels" }
        require(timeout == null || timeout.isPositive()) { "timeout must be positive, was $timeout" }
    }

    private val lanes = List(batchSize) { SampleLane(it, capacity, channels, overflow) }
    private val listenerLock = Any()
    private val listeners = ArrayList<SampleCancellationListener>()

    /** The consumer timeout in milliseconds, or -1 when consumers wait forever. For Java. */
    public val timeoutMillis: Long get() = timeout?.inWholeMilliseconds ?: -1

    /** Chunks dropped so far: by [AudioOverflow.DROP_OLDEST], and for ended, failed or cancelled samples. */
    public val droppedChunks: Long get() = lanes.sumOf { it.droppedCount }

    /** Chunks queued now, over all samples. */
    public val queuedChunks: Int get() = lanes.sumOf { it.queuedCount }

    /** Chunks dropped so far for [sampleIndex]. */
    public fun droppedChunks(sampleIndex: Int): Long = lane(sampleIndex).droppedCount

    /**
     * Enqueues `chunks[k]` for sample `sampleIndices[k]`, in order, from any thread. The streamer
     * keeps the arrays without copying them. With [AudioOverflow.WAIT] the calling thread blocks
     * while a sample is full; from a coroutine, use [send]. Before it blocks on a sample that has
     * its own consumer (not a batch's), a thread tries again for up to 50 µs (less and less while
     * its waits are long, not at all with one CPU): a consumer that is waking up soon makes room,
     * and a blocked producer would cost it a second wake-up.
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
        val targets = route(chunks, sampleIndices)
        if (overflow == AudioOverflow.FAIL) return SampleLane.offerAll(targets, chunks)
        for (k in chunks.indices) targets[k].offerBlocking(chunks[k])
    }

    /** Enqueues one [chunk] for [sampleIndex]; see [put]. */
    @Throws(InterruptedException::class)
    public fun put(
        chunk: FloatArray,
        sampleIndex: Int,
    ) {
        checkChunk(0, chunk)
        lane(sampleIndex).offerBlocking(chunk)
    }

    /** Like [put], but suspends instead of blocking while a sample is full. */
    public suspend fun send(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ) {
        val targets = route(chunks, sampleIndices)
        if (overflow == AudioOverflow.FAIL) return SampleLane.offerAll(targets, chunks)
        for (k in chunks.indices) targets[k].offerSuspending(chunks[k])
    }

    /** Enqueues one [chunk] for [sampleIndex]; see [send]. */
    public suspend fun send(
        chunk: FloatArray,
        sampleIndex: Int,
    ) {
        checkChunk(0, chunk)
        lane(sampleIndex).offerSuspending(chunk)
    }

    /**
     * Ends the given samples: their consumers get the chunks already queued, then their streams
     * complete. Ending a sample again, or one that failed or was cancelled, has no effect.
     *
     * @throws IllegalArgumentException if an index is outside `0 until batchSize`; nothing ends.
     */
    public fun end(sampleIndices: IntArray) {
        sampleIndices.forEach(::checkIndex)
        for (i in sampleIndices) lanes[i].end()
    }

    /** Ends every sample; see [end]. */
    public fun end() {
        lanes.forEach { it.end() }
    }

    /**
     * Fails every sample that has not ended: each consumer gets the chunks already queued, then
     * [cause] is thrown to it. Samples that ended or were cancelled are not affected.
     */
    public fun fail(cause: Throwable) {
        lanes.forEach { it.fail(cause) }
    }

    /** Whether [sampleIndex] was cancelled: its consumer stopped before the sample ended. */
    public fun isCancelled(sampleIndex: Int): Boolean = lane(sampleIndex).isCancelled

    /**
     * Calls [listener] once for every sample that is cancelled from now on, and at once for every
     * sample that already is: exactly once per cancelled sample, however cancels race this call.
     */
    public fun addCancellationListener(listener: SampleCancellationListener) {
        val cancelled =
            synchronized(listenerLock) {
                listeners.add(listener)
                lanes.filter { it.isCancelled }.map { it.index }
            }
        for (i in cancelled) notify(listOf(listener), i)
    }

    /** Stops calling [listener]. */
    public fun removeCancellationListener(listener: SampleCancellationListener) {
        synchronized(listenerLock) { listeners.remove(listener) }
    }

    /**
     * Cancels [sampleIndex] as if its consumer had stopped: queued chunks are dropped, later ones
     * too, and the listeners learn of it. A sample that ended, failed or was already cancelled is
     * not affected: no chunk is dropped and no listener is called.
     */
    public fun cancel(sampleIndex: Int) {
        val lane = lane(sampleIndex)
        val toCall = synchronized(listenerLock) { if (lane.cancel()) listeners.toList() else null }
        toCall?.let { notify(it, sampleIndex) }
    }

    /**
     * The chunks of [sampleIndex], in order, as a cold [Flow]. Collecting it opens a consumer end:
     * a second collector is an [IllegalStateException]. It completes after [end], throws the
     * producer's cause after [fail], and throws [AudioSampleCancelledException] if the sample was
     * cancelled. A collector that stops early cancels the sample.
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     */
    public fun stream(sampleIndex: Int): Flow<AudioChunk> {
        val lane = lane(sampleIndex)
        return handOverFlow { collector ->
            open(listOf(lane)).use {
                lane.withCancelWake(timeout) { watch -> lane.receiveEach(timeout, watch) { collector.emit(it) } }
            }
        }
    }

    /**
     * The consumer's handle on [sampleIndex], for taking chunks one at a time. It opens a consumer
     * end at once: close it when done.
     *
     * @throws IllegalArgumentException if [sampleIndex] is outside `0 until batchSize`.
     * @throws IllegalStateException if the sample already has a consumer.
     */
    public fun receiver(sampleIndex: Int): SampleReceiver {
        val lane = lane(sampleIndex)
        return SampleReceiver(lane, open(listOf(lane)), timeout)
    }

    /**
     * The whole batch as a [Flow] of maps `sampleIndex -> chunk`. Each map is non-empty and holds
     * the oldest chunk of every sample that has one; while none has, the collector waits in
     * `select`. It completes when every sample has ended (or was cancelled), and throws the
     * producer's cause after [fail] once the queued chunks are delivered. Collecting claims every
     * sample, or none if one already has a consumer. A collector that stops early cancels the
     * samples that had not ended.
     */
    public fun batch(): Flow<Map<Int, AudioChunk>> =
        handOverFlow { collector ->
            open(lanes).use {
                val cursor = BatchCursor(lanes)
                while (true) collector.emit(cursor.next(timeout) ?: break)
            }
        }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "AsyncAudioStreamer(batchSize=$batchSize, capacity=$capacity, overflow=$overflow, timeout=$timeout, channels=$channels)"

    internal fun lane(sampleIndex: Int): SampleLane {
        checkIndex(sampleIndex)
        return lanes[sampleIndex]
    }

    internal fun open(of: List<SampleLane>): Lease = Lease.open(of, ::cancel)

    internal fun allLanes(): List<SampleLane> = lanes

    private fun notify(
        listeners: List<SampleCancellationListener>,
        sampleIndex: Int,
    ) {
        for (listener in listeners) {
            try {
                listener.onCancelled(sampleIndex)
            } catch (e: Throwable) {
                val thread = Thread.currentThread()
                thread.uncaughtExceptionHandler?.uncaughtException(thread, e)
            }
        }
    }

    private fun route(
        chunks: List<FloatArray>,
        sampleIndices: IntArray,
    ): List<SampleLane> {
        require(chunks.size == sampleIndices.size) {
            "chunks and sampleIndices differ in size: ${chunks.size} != ${sampleIndices.size}"
        }
        sampleIndices.forEach(::checkIndex)
        chunks.forEachIndexed(::checkChunk)
        return sampleIndices.map { lanes[it] }
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

    /**
     * Configures an [AsyncAudioStreamer], for Java callers (Kotlin callers may use the
     * constructor). Every setting has a default but the batch size.
     */
    public class Builder internal constructor(
        private val batchSize: Int,
    ) {
        private var capacity = DEFAULT_CAPACITY
        private var overflow = AudioOverflow.WAIT
        private var timeout: Duration? = null
        private var channels = 1

        /** The most chunks one sample queues (default [DEFAULT_CAPACITY]; [UNLIMITED] for no bound). */
        public fun capacity(capacity: Int): Builder = apply { this.capacity = capacity }

        /** What a put does when a sample is full (default [AudioOverflow.WAIT]). */
        public fun overflow(overflow: AudioOverflow): Builder = apply { this.overflow = overflow }

        /**
         * How long a consumer waits for its next chunk (default: forever). The `long` and
         * [TimeUnit] form works on every Android API level; a `java.time.Duration` `d` is
         * `timeout(d.toNanos(), TimeUnit.NANOSECONDS)`.
         */
        public fun timeout(
            timeout: Long,
            unit: TimeUnit,
        ): Builder = apply { this.timeout = unit.toNanos(timeout).nanoseconds }

        /** Values per sample frame (default 1). */
        public fun channels(channels: Int): Builder = apply { this.channels = channels }

        /**
         * Creates the streamer.
         *
         * @throws IllegalArgumentException for a setting out of range, naming it and its value.
         */
        public fun build(): AsyncAudioStreamer = AsyncAudioStreamer(batchSize, capacity, overflow, timeout, channels)
    }

    /** Constants for the constructor's parameters, and the Java builder. */
    public companion object {
        /** The default [capacity]: 64 chunks per sample. */
        public const val DEFAULT_CAPACITY: Int = 64

        /** A [capacity] with no bound. Use with care: a consumer that stalls lets memory grow. */
        public const val UNLIMITED: Int = Int.MAX_VALUE

        /** A builder for a streamer of [batchSize] samples: the way to create one from Java. */
        @JvmStatic
        public fun builder(batchSize: Int): Builder = Builder(batchSize)
    }
}

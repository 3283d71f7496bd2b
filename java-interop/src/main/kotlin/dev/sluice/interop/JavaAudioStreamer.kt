package dev.sluice.interop

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioOverflow
import dev.sluice.audio.AudioStreamTimeoutException
import dev.sluice.audio.AudioStreamer
import dev.sluice.audio.CloseableIterator
import dev.sluice.audio.SampleCancellationListener
import dev.sluice.audio.SampleReceiver
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.future.future
import kotlinx.coroutines.jdk9.asPublisher
import java.time.Duration
import java.util.Optional
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import java.util.function.Consumer
import java.util.stream.Stream
import java.util.stream.StreamSupport
import kotlin.time.toKotlinDuration

/**
 * The Java face of an [AsyncAudioStreamer]: the same engine and the same semantics, with Java
 * types only: arrays, [Duration], [CompletableFuture], [Stream], [Flow.Publisher] and functional
 * interfaces. Create one with [builder].
 *
 * **Producing**, from any thread: [put], [end], [fail]; [addCancellationListener] tells the
 * producer when a consumer stops, so it can stop generating.
 *
 * **Consuming**, one consumer per sample, in one of these styles: blocking ([iterator],
 * [batchIterator], [stream]), asynchronous ([next], [forEach], [collect]) or reactive
 * ([publisher]). The asynchronous and reactive styles run on the builder's executor, or on
 * `Dispatchers.Default` (daemon threads) when none was given.
 *
 * **Errors** arrive as they are: the producer's cause after [fail], and
 * [AudioStreamTimeoutException], an unchecked exception, when no chunk comes within the timeout.
 * In a [CompletableFuture] they complete it exceptionally.
 *
 * [close] ends every sample, cancels every pending future and subscription, and leaves no thread
 * or coroutine of the facade running.
 *
 * @sample dev.sluice.interop.samples.facadeSample
 */
public class JavaAudioStreamer private constructor(
    /** The engine. Kotlin code may use it directly. */
    public val engine: AsyncAudioStreamer,
    executor: Executor?,
) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + (executor?.asCoroutineDispatcher() ?: Dispatchers.Default))
    private val receivers = arrayOfNulls<SampleReceiver>(engine.batchSize)

    /** The number of samples. */
    public val batchSize: Int get() = engine.batchSize

    /** Chunks dropped so far; see [AsyncAudioStreamer.droppedChunks]. */
    public val droppedChunks: Long get() = engine.droppedChunks

    /**
     * Enqueues `chunks[k]` for sample `sampleIndices[k]`, keeping the arrays without copying.
     * Blocks while a sample is full if the overflow is [AudioOverflow.WAIT].
     *
     * @throws IllegalArgumentException for a bad index or chunk; nothing is enqueued.
     * @throws dev.sluice.audio.AudioStreamOverflowException with [AudioOverflow.FAIL] when a
     *   sample is full; nothing is enqueued.
     * @throws InterruptedException if the thread is interrupted while it waits for room.
     */
    @Throws(InterruptedException::class)
    public fun put(
        chunks: Array<FloatArray>,
        sampleIndices: IntArray,
    ) {
        engine.put(chunks.asList(), sampleIndices)
    }

    /** Enqueues one [chunk] for [sampleIndex]; see the other [put]. */
    @Throws(InterruptedException::class)
    public fun put(
        chunk: FloatArray,
        sampleIndex: Int,
    ) {
        engine.put(chunk, sampleIndex)
    }

    /** Ends every sample. Idempotent. */
    public fun end() {
        engine.end()
    }

    /** Ends the given samples. Idempotent. @throws IllegalArgumentException for a bad index; nothing ends. */
    public fun end(vararg sampleIndices: Int) {
        engine.end(sampleIndices)
    }

    /** Fails every sample that has not ended: consumers get the queued chunks, then [cause]. */
    public fun fail(cause: Throwable) {
        engine.fail(cause)
    }

    /** Whether the consumer of [sampleIndex] stopped before the sample ended. */
    public fun isCancelled(sampleIndex: Int): Boolean = engine.isCancelled(sampleIndex)

    /** Calls [listener] when a consumer stops; at once for samples already cancelled. */
    public fun addCancellationListener(listener: SampleCancellationListener) {
        engine.addCancellationListener(listener)
    }

    /**
     * A blocking iterator over the chunks of [sampleIndex]; closing it early cancels the sample.
     *
     * @throws IllegalStateException if the sample already has a consumer.
     */
    public fun iterator(sampleIndex: Int): CloseableIterator<AudioChunk> = AudioStreamer(engine).stream(sampleIndex)

    /** A blocking iterator over the batch, as maps `sampleIndex -> chunk`; see [AsyncAudioStreamer.batch]. */
    public fun batchIterator(): CloseableIterator<Map<Int, AudioChunk>> = AudioStreamer(engine).iterator()

    /**
     * The chunks of [sampleIndex] as a sequential, ordered [Stream]. Closing the stream before its
     * end cancels the sample: use it in try-with-resources.
     */
    public fun stream(sampleIndex: Int): Stream<AudioChunk> {
        val iterator = iterator(sampleIndex)
        val spliterator = Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED or Spliterator.NONNULL)
        return StreamSupport.stream(spliterator, false).onClose(iterator::close)
    }

    /**
     * The next chunk of [sampleIndex], or an empty [Optional] once it ended. Successive calls read
     * successive chunks; the first call makes the caller the sample's consumer. Cancelling the
     * future cancels the sample.
     */
    public fun next(sampleIndex: Int): CompletableFuture<Optional<AudioChunk>> {
        val receiver = receiver(sampleIndex)
        return cancelling(receiver) { Optional.ofNullable(receiver.receive()) }
    }

    /**
     * Calls [action] for every chunk of [sampleIndex], in order, on the facade's executor. The
     * future completes when the sample ends, and exceptionally on failure or timeout. Cancelling
     * it cancels the sample, and the producer's listeners hear of it.
     */
    public fun forEach(
        sampleIndex: Int,
        action: Consumer<AudioChunk>,
    ): CompletableFuture<Void?> {
        val receiver = receiver(sampleIndex)
        return cancelling(receiver) {
            while (true) action.accept(receiver.receive() ?: break)
            null
        }
    }

    /** The whole audio of [sampleIndex], concatenated, once the sample ends. Cancelling cancels the sample. */
    public fun collect(sampleIndex: Int): CompletableFuture<FloatArray> {
        val receiver = receiver(sampleIndex)
        return cancelling(receiver) {
            val parts = ArrayList<FloatArray>()
            var size = 0
            while (true) {
                val chunk = receiver.receive() ?: break
                parts += chunk.samples
                size += chunk.samples.size
            }
            val all = FloatArray(size)
            var at = 0
            for (p in parts) {
                p.copyInto(all, at)
                at += p.size
            }
            all
        }
    }

    /**
     * The chunks of [sampleIndex] as a [Flow.Publisher] for Reactor, RxJava or WebFlux. It honours
     * demand: a subscriber gets no more chunks than it requested. One subscriber per sample; a
     * subscriber that cancels cancels the sample.
     */
    public fun publisher(sampleIndex: Int): Flow.Publisher<AudioChunk> = engine.stream(sampleIndex).asPublisher(scope.coroutineContext)

    /**
     * Ends every sample, cancels every pending future and subscription, and releases the facade's
     * coroutines. Idempotent. An executor given to the builder is not shut down: its owner does that.
     */
    override fun close() {
        engine.end()
        scope.cancel()
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String = "JavaAudioStreamer($engine)"

    private fun receiver(sampleIndex: Int): SampleReceiver =
        synchronized(receivers) {
            require(sampleIndex in 0 until engine.batchSize) { "sampleIndex must be in 0 until ${engine.batchSize}, was $sampleIndex" }
            receivers[sampleIndex] ?: engine.receiver(sampleIndex).also { receivers[sampleIndex] = it }
        }

    /** Runs [block] in the facade's scope; a future cancelled by its caller cancels the sample. */
    private fun <T> cancelling(
        receiver: SampleReceiver,
        block: suspend () -> T,
    ): CompletableFuture<T> {
        val future = scope.future { block() }
        future.whenComplete { _, error -> if (error is CancellationException) receiver.close() }
        return future
    }

    /**
     * Configures a [JavaAudioStreamer]. Every setting has a default but the batch size.
     */
    public class Builder internal constructor(
        private val batchSize: Int,
    ) {
        private var capacity = AsyncAudioStreamer.DEFAULT_CAPACITY
        private var overflow = AudioOverflow.WAIT
        private var timeout: Duration? = null
        private var channels = 1
        private var executor: Executor? = null

        /** The most chunks one sample queues (default 64). */
        public fun capacity(capacity: Int): Builder = apply { this.capacity = capacity }

        /** What a put does when a sample is full (default [AudioOverflow.WAIT]). */
        public fun overflow(overflow: AudioOverflow): Builder = apply { this.overflow = overflow }

        /** How long a consumer waits for its next chunk (default: forever). */
        public fun timeout(timeout: Duration): Builder = apply { this.timeout = timeout }

        /** Values per sample frame (default 1). */
        public fun channels(channels: Int): Builder = apply { this.channels = channels }

        /** Where the asynchronous and reactive consumers run (default: `Dispatchers.Default`). */
        public fun executor(executor: Executor): Builder = apply { this.executor = executor }

        /**
         * Creates the streamer.
         *
         * @throws IllegalArgumentException for a setting out of range, naming it and its value.
         */
        public fun build(): JavaAudioStreamer {
            val t = timeout
            require(t == null || (!t.isNegative && !t.isZero)) { "timeout must be positive, was $t" }
            return JavaAudioStreamer(AsyncAudioStreamer(batchSize, capacity, overflow, t?.toKotlinDuration(), channels), executor)
        }
    }

    /** Creates builders. */
    public companion object {
        /** A builder for a streamer of [batchSize] samples. */
        @JvmStatic
        public fun builder(batchSize: Int): Builder = Builder(batchSize)
    }
}

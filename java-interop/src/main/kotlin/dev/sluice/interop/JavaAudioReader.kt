package dev.sluice.interop

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioSampleCancelledException
import dev.sluice.audio.AudioStreamTimeoutException
import dev.sluice.audio.BlockingAudioReader
import dev.sluice.audio.CloseableIterator
import dev.sluice.audio.SampleReceiver
import dev.sluice.interop.internal.SamplePublisher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import java.util.Optional
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import java.util.function.Consumer
import java.util.stream.Stream
import java.util.stream.StreamSupport

/**
 * The consumer ends of an [AsyncAudioStreamer] in Java types: blocking iterators, [Stream],
 * [CompletableFuture] and [Flow.Publisher]. It only consumes and adds no semantics: a Java
 * producer calls the engine itself (`AsyncAudioStreamer.builder(n)...build()`), and every end here
 * goes through the engine's one consumer-end rule.
 *
 * - One consumer per sample: a second end of a sample fails with [IllegalStateException]
 *   (synchronously, or through its future or `onError`). [next] keeps one end per sample for its
 *   successive calls, so [collect] after [next] on the same sample fails.
 * - An end that stops before its sample ended cancels the sample, and the producer's listeners
 *   hear of it: closing an iterator or a [Stream], cancelling a future or a subscription, a
 *   timeout ([AudioStreamTimeoutException], unchecked), an action that throws, and [close].
 * - Errors arrive as they are: the producer's cause after `fail`, [AudioSampleCancelledException]
 *   (a `java.util.concurrent.CancellationException`) for a cancelled sample.
 *
 * The asynchronous and reactive ends run on [executor], or on `Dispatchers.Default` (daemon
 * threads) when none is given. JVM only: it needs `java.util.concurrent.Flow` (Android API 30).
 *
 * @sample dev.sluice.interop.samples.javaReaderSample
 */
public class JavaAudioReader
    @JvmOverloads
    constructor(
        /** The engine whose samples this reader consumes. */
        public val engine: AsyncAudioStreamer,
        executor: Executor? = null,
    ) : AutoCloseable {
        private val scope = CoroutineScope(SupervisorJob() + (executor?.asCoroutineDispatcher() ?: Dispatchers.Default))
        private val blocking = BlockingAudioReader(engine)
        private val nextReceivers = arrayOfNulls<SampleReceiver>(engine.batchSize)

        /**
         * A blocking iterator over the chunks of [sampleIndex]; closing it early cancels the sample.
         *
         * @throws IllegalStateException if the sample already has a consumer.
         */
        public fun iterator(sampleIndex: Int): CloseableIterator<AudioChunk> = blocking.iterator(sampleIndex)

        /** A blocking iterator over the batch, as maps `sampleIndex -> chunk`; see [AsyncAudioStreamer.batch]. */
        public fun batchIterator(): CloseableIterator<Map<Int, AudioChunk>> = blocking.batches()

        /**
         * The chunks of [sampleIndex] as a sequential, ordered [Stream]. Closing the stream before its
         * end cancels the sample: use it in try-with-resources.
         *
         * @throws IllegalStateException if the sample already has a consumer.
         */
        public fun stream(sampleIndex: Int): Stream<AudioChunk> {
            val iterator = iterator(sampleIndex)
            val spliterator = Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED or Spliterator.NONNULL)
            return StreamSupport.stream(spliterator, false).onClose(iterator::close)
        }

        /**
         * The next chunk of [sampleIndex], or an empty [Optional] once it ended. Successive calls
         * read successive chunks through one end, opened by the first call. Cancelling the future,
         * a timeout or a failure cancels the sample; a chunk taken for a future cancelled meanwhile
         * is counted as dropped.
         *
         * @throws IllegalStateException if the sample already has another consumer.
         */
        public fun next(sampleIndex: Int): CompletableFuture<Optional<AudioChunk>> {
            val receiver =
                synchronized(nextReceivers) {
                    require(sampleIndex in 0 until engine.batchSize) {
                        "sampleIndex must be in 0 until ${engine.batchSize}, was $sampleIndex"
                    }
                    nextReceivers[sampleIndex] ?: engine.receiver(sampleIndex).also { nextReceivers[sampleIndex] = it }
                }
            return launchFor(receiver) { future ->
                try {
                    val chunk = receiver.receive()
                    if (!future.complete(Optional.ofNullable(chunk)) && chunk != null) receiver.drop(chunk)
                } catch (e: Throwable) {
                    receiver.close()
                    throw e
                }
            }
        }

        /**
         * Calls [action] for every chunk of [sampleIndex], in order, on the reader's executor. The
         * future completes when the sample ends, and exceptionally on failure, timeout or when the
         * action throws; each of those, and cancelling the future, cancels the sample.
         *
         * @throws IllegalStateException if the sample already has a consumer.
         */
        public fun forEach(
            sampleIndex: Int,
            action: Consumer<AudioChunk>,
        ): CompletableFuture<Void?> =
            consume(sampleIndex) { receiver ->
                while (true) action.accept(receiver.receive() ?: break)
                null
            }

        /**
         * The whole audio of [sampleIndex], concatenated, once the sample ends. Cancelling the future,
         * a timeout or a failure cancels the sample, and the chunks gathered so far are counted as
         * dropped.
         *
         * @throws IllegalStateException if the sample already has a consumer.
         */
        public fun collect(sampleIndex: Int): CompletableFuture<FloatArray> =
            consume(sampleIndex) { receiver ->
                val parts = ArrayList<AudioChunk>()
                try {
                    while (true) parts += receiver.receive() ?: break
                } catch (e: Throwable) {
                    parts.forEach(receiver::drop)
                    throw e
                }
                val all = FloatArray(parts.sumOf { it.samples.size })
                var at = 0
                for (p in parts) {
                    p.samples.copyInto(all, at)
                    at += p.samples.size
                }
                all
            }

        /**
         * The chunks of [sampleIndex] as a [Flow.Publisher] for Reactor, RxJava or WebFlux, following
         * the Reactive Streams rules: a subscriber gets no more chunks than it requested, and
         * `request(n <= 0)` signals `onError(IllegalArgumentException)`. Subscribing opens the
         * sample's consumer end (a second subscriber gets `onError(IllegalStateException)`);
         * cancelling the subscription, even before the first request, cancels the sample.
         */
        public fun publisher(sampleIndex: Int): Flow.Publisher<AudioChunk> = SamplePublisher(scope) { engine.receiver(sampleIndex) }

        /**
         * Cancels every pending future and subscription of this reader, closes the ends [next]
         * opened (each cancels its sample unless it ended), and releases the reader's coroutines.
         * Idempotent. It does not end the producer's samples, and an executor given to the
         * constructor is not shut down: their owners do that.
         */
        override fun close() {
            scope.cancel()
            synchronized(nextReceivers) { nextReceivers.forEach { it?.close() } }
        }

        /** A description for logs and debugging; its format may change. */
        override fun toString(): String = "JavaAudioReader($engine)"

        /** Runs [block] on a receiver of [sampleIndex]; anything but a normal end closes it (cancels). */
        private fun <T> consume(
            sampleIndex: Int,
            block: suspend (SampleReceiver) -> T,
        ): CompletableFuture<T> {
            val receiver = engine.receiver(sampleIndex)
            return launchFor(receiver) { future -> future.complete(receiver.use { block(it) }) }
        }

        /**
         * A future completed by [body] on the reader's scope; [body] completes it, and a failure of
         * [body] completes it exceptionally. Cancelling the future cancels the body and closes
         * [receiver] (which cancels the sample unless it ended).
         */
        @OptIn(DelicateCoroutinesApi::class) // ATOMIC: the body runs even when cancelled at once, so it closes the end
        private fun <T> launchFor(
            receiver: SampleReceiver,
            body: suspend (CompletableFuture<T>) -> Unit,
        ): CompletableFuture<T> {
            val future = CompletableFuture<T>()
            val job =
                scope.launch(start = CoroutineStart.ATOMIC) {
                    try {
                        body(future)
                    } catch (e: Throwable) {
                        future.completeExceptionally(e)
                    }
                }
            future.whenComplete { _, _ ->
                if (future.isCancelled) {
                    job.cancel()
                    receiver.close()
                }
            }
            return future
        }
    }

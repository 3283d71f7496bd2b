package dev.sluice.grpc

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.StreamBuffer
import dev.sluice.buffer.StreamChunk
import dev.sluice.grpc.internal.EdgeFrame
import dev.sluice.grpc.internal.EdgeReply
import dev.sluice.grpc.internal.SluiceEdgeGrpcKt
import dev.sluice.grpc.internal.cancel
import dev.sluice.grpc.internal.edgeReply
import dev.sluice.grpc.internal.failure
import io.grpc.BindableService
import io.grpc.ServerServiceDefinition
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.channelFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.util.concurrent.ConcurrentHashMap

/**
 * The consumer side of gRPC edges: a gRPC service (register it on a server with
 * `addService(receiver)`) that feeds one [StreamBuffer] per [EdgeKey], and the [chunks] flow that
 * reads it.
 *
 * Frames are applied strictly in sequence. Each applied frame's chunks are handed to the [chunks]
 * collector through a queue of [chunkCapacity] chunks; while it is full the receiver stops reading
 * the call, so HTTP/2 flow control and then the producer's window make the producer wait. The
 * receiver acknowledges what it applied. A call that drops keeps the edge's state for
 * [resumeWindowMillis]: a producer that reconnects in time resumes after the last frame applied.
 * A gap, a new producer epoch or a wrong done count fails the edge with a typed [EdgeException];
 * the stream then never ends in a final chunk.
 *
 * @param policyFor the chunk policy of each edge's buffer.
 */
public class EdgeReceiver<T>
    @JvmOverloads
    constructor(
        private val codec: EdgeCodec<T>,
        private val policyFor: (EdgeKey) -> ChunkPolicy,
        /** Chunks queued for a slow [chunks] collector before the receiver stops reading. */
        public val chunkCapacity: Int = 16,
        /** How long an edge whose producer is disconnected is kept before it fails. */
        public val resumeWindowMillis: Long = 30_000,
    ) : BindableService {
        init {
            require(chunkCapacity >= 1) { "chunkCapacity must be >= 1, was $chunkCapacity" }
            require(resumeWindowMillis >= 0) { "resumeWindowMillis must be >= 0, was $resumeWindowMillis" }
        }

        private val scope = CoroutineScope(SupervisorJob())
        private val edges = ConcurrentHashMap<EdgeKey, Inbound>()

        private val service =
            object : SluiceEdgeGrpcKt.SluiceEdgeCoroutineImplBase() {
                override fun edge(requests: Flow<EdgeFrame>): Flow<EdgeReply> = serve(requests)
            }

        /** The gRPC service definition; a server serves it with `addService(receiver)`. */
        override fun bindService(): ServerServiceDefinition = service.bindService()

        /**
         * The chunks of the edge [key], in order, ending after its one final chunk. It throws the
         * edge's [EdgeException] if the edge fails, and [EdgeCancelledException] if the producer
         * cancels. A collector that stops early cancels the edge, and the producer learns of it.
         * The producer may connect before or after the collector starts.
         *
         * @throws IllegalStateException (from the flow) if the edge already has a collector.
         */
        public fun chunks(key: EdgeKey): Flow<StreamChunk<T>> =
            flow {
                val edge = inbound(key)
                check(edge.claim()) { "edge $key already has a collector" }
                var finished = false
                try {
                    while (true) {
                        val next = edge.queue.receiveCatching()
                        if (next.isClosed) {
                            // The edge ended on its own (final chunk, failure, cancel): nothing to cancel.
                            finished = true
                            next.exceptionOrNull()?.let { throw it }
                            break
                        }
                        val chunk = next.getOrThrow()
                        emit(chunk)
                        if (chunk.isFinal) finished = true
                    }
                } finally {
                    if (!finished) edge.cancelFromConsumer("the consumer stopped reading")
                }
            }

        /**
         * Cancels the edge [key] from the consumer side: its producer's next call throws
         * [EdgeCancelledException]. An edge that already ended is not affected.
         */
        public fun cancel(
            key: EdgeKey,
            reason: String = "cancelled by the consumer",
        ) {
            inbound(key).cancelFromConsumer(reason)
        }

        /** Stops every timer; edges in progress stay as they are. */
        public fun close() {
            scope.coroutineContext[Job]?.cancel()
        }

        private fun inbound(key: EdgeKey): Inbound = edges.computeIfAbsent(key) { Inbound(it) }

        private fun serve(requests: Flow<EdgeFrame>): Flow<EdgeReply> =
            channelFlow {
                var edge: Inbound? = null
                try {
                    requests.collect { frame ->
                        val current = edge
                        if (current == null) {
                            if (!frame.hasOpen()) {
                                send(edgeReply { failure = failure { message = "the first frame of a call must be open" } })
                                return@collect
                            }
                            val key = frame.open.key.let { EdgeKey(it.request, it.edge, it.partition) }
                            val opened = inbound(key)
                            edge = opened
                            opened.open(frame.open.epoch, frame.open.window, this)
                        } else {
                            current.apply(frame, this)
                        }
                    }
                } finally {
                    edge?.disconnected(this)
                }
            }

        /** One edge's state on the consumer side. */
        private inner class Inbound(
            val key: EdgeKey,
        ) {
            private val mutex = Mutex()
            private var buffer: StreamBuffer<T>? = null
            val queue = Channel<StreamChunk<T>>(chunkCapacity)
            private var claimed = false
            private var epoch: Long? = null
            private var applied = 0L
            private var acked = 0L
            private var ackEvery = 1L
            private var items = 0L
            private var declared: Long? = null

            @Volatile private var over = false
            private var completed = false

            @Volatile private var consumerCancelled = false

            @Volatile private var connection: SendChannel<EdgeReply>? = null
            private var expiry: Job? = null

            @Synchronized
            fun claim(): Boolean = !claimed.also { claimed = true }

            suspend fun open(
                producerEpoch: Long,
                window: Int,
                replies: SendChannel<EdgeReply>,
            ) {
                mutex.withLock {
                    expiry?.cancel()
                    if (consumerCancelled) {
                        replies.send(edgeReply { cancel = cancel { reason = "the consumer cancelled the edge" } })
                        return
                    }
                    if (completed) {
                        // The final chunk was delivered; the producer only missed the last acknowledgement.
                        replies.send(edgeReply { resumeAfter = applied })
                        return
                    }
                    if (over) {
                        replies.send(edgeReply { failure = failure { message = "edge $key has already ended" } })
                        return
                    }
                    val known = epoch
                    if (known != null && known != producerEpoch) {
                        val e = EdgeEpochException(key, known, producerEpoch)
                        failLocked(e)
                        replies.send(edgeReply { failure = failure { message = e.message!! } })
                        return
                    }
                    epoch = producerEpoch
                    if (buffer == null) buffer = StreamBuffer(key.request, key.edge, key.partition, policyFor(key))
                    // Acknowledge at least every half window, so that a waiting producer always hears back.
                    ackEvery = maxOf(1L, window / 2L)
                    connection = replies
                    replies.send(edgeReply { resumeAfter = applied })
                }
            }

            suspend fun apply(
                frame: EdgeFrame,
                replies: SendChannel<EdgeReply>,
            ) {
                mutex.withLock {
                    if (over || consumerCancelled || connection !== replies) return
                    if (frame.seq <= applied) return // a resent frame already applied
                    if (frame.seq != applied + 1) {
                        fail(EdgeProtocolException(key, "frame ${frame.seq} came after frame $applied: a gap in the sequence"), replies)
                        return
                    }
                    val b = buffer!!
                    try {
                        when {
                            frame.hasRegister() -> b.preReadRegister(frame.register.id)
                            frame.hasItem() -> {
                                val item = codec.decode(frame.item.payload.toByteArray())
                                if (frame.item.id.isEmpty()) b.append(item) else b.put(frame.item.id, item)
                                items++
                                checkCount(b)
                            }
                            frame.hasDone() -> {
                                declared = frame.done.count
                                b.signalDone()
                                checkCount(b)
                            }
                            frame.hasFailure() -> {
                                drain(b)
                                fail(EdgeFailedException(key, frame.failure.message), null)
                                applied = frame.seq
                                replies.send(edgeReply { ack = frame.seq })
                                return
                            }
                            frame.hasCancel() -> {
                                fail(EdgeCancelledException(key, frame.cancel.reason), null)
                                applied = frame.seq
                                replies.send(edgeReply { ack = frame.seq })
                                return
                            }
                            else -> throw EdgeProtocolException(key, "frame ${frame.seq} carries nothing")
                        }
                    } catch (e: EdgeException) {
                        fail(e, replies)
                        return
                    } catch (e: IllegalArgumentException) {
                        fail(EdgeProtocolException(key, "frame ${frame.seq}: ${e.message}", e), replies)
                        return
                    } catch (e: IllegalStateException) {
                        fail(EdgeProtocolException(key, "frame ${frame.seq}: ${e.message}", e), replies)
                        return
                    }
                    applied = frame.seq
                    val ended =
                        try {
                            drain(b)
                        } catch (e: kotlinx.coroutines.CancellationException) {
                            if (consumerCancelled) return // the collector went away; cancelFromConsumer told the producer
                            throw e
                        }
                    if (ended || frame.hasDone() || applied - acked >= ackEvery) {
                        acked = applied
                        replies.send(edgeReply { ack = applied })
                    }
                    if (ended) {
                        over = true
                        completed = true
                        queue.close()
                    }
                }
            }

            /** The done count, checked once it is known and no registered slot is still open. */
            private fun checkCount(b: StreamBuffer<T>) {
                val count = declared ?: return
                val delivered = items + b.pendingIds.size
                if (delivered != count) throw EdgeCountMismatchException(key, count, delivered)
            }

            /** Moves every ready chunk to the collector (waiting while its queue is full); true after the final one. */
            private suspend fun drain(b: StreamBuffer<T>): Boolean {
                while (b.hasChunkReady()) {
                    val chunk = b.popChunk()
                    queue.send(chunk)
                    if (chunk.isFinal) return true
                }
                return false
            }

            private suspend fun fail(
                e: Throwable,
                replies: SendChannel<EdgeReply>?,
            ) {
                failLocked(e)
                if (replies != null && e !is EdgeCancelledException) {
                    replies.trySend(edgeReply { failure = failure { message = e.message ?: e.toString() } })
                }
            }

            private fun failLocked(e: Throwable) {
                over = true
                queue.close(e)
                connection = null
            }

            fun cancelFromConsumer(reason: String) {
                // Not under the mutex: apply() may hold it while it waits for room in the queue.
                if (consumerCancelled || over) return
                consumerCancelled = true
                queue.cancel(EdgeCancelledException(key, reason))
                connection?.trySend(edgeReply { cancel = cancel { this.reason = reason } })
                scope.launch { mutex.withLock { over = true } }
            }

            suspend fun disconnected(replies: SendChannel<EdgeReply>) {
                mutex.withLock {
                    if (connection !== replies) return
                    connection = null
                    if (over) return
                    expiry =
                        scope.launch {
                            delay(resumeWindowMillis)
                            mutex.withLock {
                                if (over || connection != null) return@withLock
                                failLocked(
                                    EdgeDisconnectedException(key, "the producer did not reconnect within $resumeWindowMillis ms"),
                                )
                            }
                        }
                }
            }
        }
    }

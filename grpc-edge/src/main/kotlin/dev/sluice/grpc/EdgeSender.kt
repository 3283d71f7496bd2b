package dev.sluice.grpc

import com.google.protobuf.ByteString
import dev.sluice.grpc.internal.EdgeFrame
import dev.sluice.grpc.internal.EdgeReply
import dev.sluice.grpc.internal.SluiceEdgeGrpcKt
import dev.sluice.grpc.internal.cancel
import dev.sluice.grpc.internal.done
import dev.sluice.grpc.internal.edgeFrame
import dev.sluice.grpc.internal.edgeKey
import dev.sluice.grpc.internal.failure
import dev.sluice.grpc.internal.item
import dev.sluice.grpc.internal.open
import dev.sluice.grpc.internal.register
import io.grpc.Channel
import io.grpc.Status
import io.grpc.StatusException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import java.io.Closeable
import kotlin.random.Random

/**
 * The producer side of a gRPC edge: feeds the [EdgeReceiver] behind [channel] for [key], as if it
 * fed a [dev.sluice.buffer.StreamBuffer] in this process. Register, item, done, failure and
 * cancel travel in order on one stream, each frame with a sequence number.
 *
 * Frames the receiver has not acknowledged stay in a window of [window] frames; a call that would
 * go beyond it suspends until acknowledgements come, so a slow consumer makes the producer wait.
 * When the connection drops, the sender reconnects with backoff and resends only the frames after
 * the last one the receiver applied; if it cannot reconnect within [resumeWindowMillis], every
 * waiting and later call throws [EdgeDisconnectedException]. A receiver that fails the edge or
 * cancels it makes every later call throw the typed [EdgeException] or [EdgeCancelledException].
 *
 * The calls suspend; one coroutine at a time should produce on one sender.
 */
public class EdgeSender<T>
    @JvmOverloads
    constructor(
        channel: Channel,
        /** The edge this sender feeds. */
        public val key: EdgeKey,
        private val codec: EdgeCodec<T>,
        /** The most frames in flight without an acknowledgement. */
        public val window: Int = 256,
        /** How long the sender keeps trying to reconnect after the connection drops. */
        public val resumeWindowMillis: Long = 30_000,
    ) : Closeable {
        init {
            require(window >= 1) { "window must be >= 1, was $window" }
            require(resumeWindowMillis >= 0) { "resumeWindowMillis must be >= 0, was $resumeWindowMillis" }
        }

        private val stub = SluiceEdgeGrpcKt.SluiceEdgeCoroutineStub(channel)
        private val epoch = Random.nextLong()
        private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        private val lock = Any()
        private val unacked = ArrayDeque<EdgeFrame>()
        private var nextSeq = 1L
        private var items = 0L
        private val registered = HashSet<String>()
        private var doneSeq = 0L
        private var abortSeq = 0L
        private var error: Throwable? = null
        private var finished = false
        private val changes = MutableStateFlow(0L)
        private val completion = CompletableDeferred<Unit>()
        private var connection: Job? = null

        /** The number of (re)connections made so far. */
        @Volatile
        public var connections: Int = 0
            private set

        private fun changed() {
            changes.value++
        }

        /** Reserves the next slot for [id], as [dev.sluice.buffer.StreamBuffer.preReadRegister] does. */
        public suspend fun register(id: String) {
            require(id.isNotEmpty()) { "an id must not be empty" }
            send(EdgeFrame.newBuilder().setRegister(register { this.id = id }), kind = Kind.REGISTER, id = id)
        }

        /** Delivers [item] under [id] (registered or not), as `StreamBuffer.put` does. */
        public suspend fun put(
            id: String,
            item: T,
        ) {
            require(id.isNotEmpty()) { "an id must not be empty (append has no id)" }
            val bytes = ByteString.copyFrom(codec.encode(item))
            send(
                EdgeFrame.newBuilder().setItem(
                    item {
                        this.id = id
                        payload = bytes
                    },
                ),
                kind = Kind.ITEM,
                id = id,
            )
        }

        /** Delivers [item] into the next slot, with no id. */
        public suspend fun append(item: T) {
            val bytes = ByteString.copyFrom(codec.encode(item))
            send(EdgeFrame.newBuilder().setItem(item { payload = bytes }), kind = Kind.ITEM)
        }

        /**
         * Says the producer is done, with the count of items it delivered (or will deliver into
         * registered slots), and waits until the receiver has applied everything.
         *
         * @throws EdgeException if the receiver failed the edge (a wrong count, for example).
         */
        public suspend fun done() {
            // The count (items so far plus the registered slots still to fill) is taken as the frame is numbered.
            send(EdgeFrame.newBuilder().setDone(done {}), kind = Kind.DONE)
            awaitCompletion()
        }

        /** Fails the edge: the consumer's flow throws [EdgeFailedException] with [message], after the chunks already ready. */
        public suspend fun fail(message: String) {
            send(EdgeFrame.newBuilder().setFailure(failure { this.message = message }), kind = Kind.ABORT)
            awaitCompletion()
        }

        /** Cancels the edge from the producer side: the consumer's flow throws [EdgeCancelledException]. */
        public suspend fun cancel(reason: String = "cancelled by the producer") {
            send(EdgeFrame.newBuilder().setCancel(cancel { this.reason = reason }), kind = Kind.ABORT)
            awaitCompletion()
        }

        /** Stops the connection without a word to the receiver (use [done], [fail] or [cancel] first). */
        override fun close() {
            synchronized(lock) {
                if (error == null && !finished) error = EdgeDisconnectedException(key, "the sender was closed")
            }
            scope.cancel()
            changed()
        }

        private suspend fun awaitCompletion() {
            completion.await()
            synchronized(lock) { error }?.let { throw it }
        }

        private enum class Kind { REGISTER, ITEM, DONE, ABORT }

        /** Numbers [frame] and adds it to the window (waiting while the window is full). */
        private suspend fun send(
            frame: EdgeFrame.Builder,
            kind: Kind,
            id: String = "",
        ) {
            while (true) {
                val seen = changes.value
                val ready =
                    synchronized(lock) {
                        error?.let { throw it }
                        check(abortSeq == 0L) { "edge $key: nothing can be sent after fail or cancel" }
                        val fillsSlot = kind == Kind.ITEM && id in registered
                        check(doneSeq == 0L || fillsSlot) {
                            "edge $key: after done only registered slots can be filled; ${if (kind == Kind.ITEM) "id \"$id\" was not registered" else "$kind is too late"}"
                        }
                        if (kind == Kind.REGISTER) require(id !in registered) { "id \"$id\" is already registered" }
                        if (kind == Kind.DONE) check(doneSeq == 0L) { "edge $key: done was already sent" }
                        if (unacked.size < window) {
                            val builder = frame.setSeq(nextSeq++)
                            when (kind) {
                                Kind.REGISTER -> registered += id
                                Kind.ITEM -> {
                                    items++
                                    registered -= id
                                }
                                Kind.DONE -> {
                                    builder.doneBuilder.count = items + registered.size
                                    doneSeq = builder.seq
                                }
                                Kind.ABORT -> abortSeq = builder.seq
                            }
                            unacked.addLast(builder.build())
                            if (connection == null) connection = scope.launch { connect() }
                            true
                        } else {
                            false
                        }
                    }
                if (ready) {
                    changed()
                    // Filling the last registered slot after done may be what completes the edge.
                    return
                }
                changes.first { it != seen }
            }
        }

        /** The connection loop: one call at a time, reconnecting with backoff within the resume window. */
        private suspend fun connect() {
            var backoff = 25L
            var downSince = -1L
            while (true) {
                val progressed = CompletableDeferred<Unit>()
                val failure =
                    try {
                        call(progressed)
                        return // completed
                    } catch (e: StatusException) {
                        e
                    } catch (e: io.grpc.StatusRuntimeException) {
                        StatusException(e.status, e.trailers)
                    }
                if (synchronized(lock) { error != null || finished }) return
                val code = failure.status.code
                if (code != Status.Code.UNAVAILABLE &&
                    code != Status.Code.CANCELLED &&
                    code != Status.Code.UNKNOWN &&
                    code != Status.Code.INTERNAL &&
                    code != Status.Code.DEADLINE_EXCEEDED
                ) {
                    end(EdgeDisconnectedException(key, "the call failed: ${failure.status}", failure))
                    return
                }
                val now = System.nanoTime()
                if (progressed.isCompleted || downSince < 0) {
                    downSince = now
                    if (progressed.isCompleted) backoff = 25L
                }
                if ((now - downSince) / 1_000_000 > resumeWindowMillis) {
                    end(EdgeDisconnectedException(key, "could not reconnect within $resumeWindowMillis ms: ${failure.status}", failure))
                    return
                }
                delay(backoff)
                backoff = minOf(backoff * 2, 1_000L)
            }
        }

        /** One call: open, resend after the receiver's resume point, then stream new frames. */
        private suspend fun call(progressed: CompletableDeferred<Unit>) {
            connections++
            val resumed = CompletableDeferred<Long>()
            val open =
                edgeFrame {
                    this.open =
                        open {
                            key =
                                edgeKey {
                                    request = this@EdgeSender.key.request
                                    edge = this@EdgeSender.key.edge
                                    partition = this@EdgeSender.key.partition
                                }
                            epoch = this@EdgeSender.epoch
                            window = this@EdgeSender.window
                        }
                }
            val requests =
                flow {
                    emit(open)
                    var cursor = resumed.await()
                    while (true) {
                        val seen = changes.value
                        val next = synchronized(lock) { if (finished || error != null) null else frameAfter(cursor) }
                        if (next != null) {
                            emit(next)
                            cursor = next.seq
                        } else if (synchronized(lock) { finished || error != null }) {
                            return@flow
                        } else {
                            changes.first { it != seen }
                        }
                    }
                }
            stub.edge(requests).collect { reply -> onReply(reply, resumed, progressed) }
            // The receiver ended the call: fine once the edge finished, otherwise a drop.
            if (!synchronized(lock) {
                    finished || error != null
                }
            ) {
                throw StatusException(Status.UNAVAILABLE.withDescription("the receiver ended the call"))
            }
        }

        /**
         * The unacknowledged frame after [seq], or null. The window holds consecutive sequence
         * numbers from its first frame on, so this is an index, not a search. Call under the lock.
         */
        private fun frameAfter(seq: Long): EdgeFrame? {
            val first = unacked.firstOrNull()?.seq ?: return null
            // Frames before the first were acknowledged, so the receiver has them: never resend those.
            val at = maxOf(0L, seq + 1 - first)
            return if (at < unacked.size) unacked[at.toInt()] else null
        }

        private fun onReply(
            reply: EdgeReply,
            resumed: CompletableDeferred<Long>,
            progressed: CompletableDeferred<Unit>,
        ) {
            when (reply.kindCase) {
                EdgeReply.KindCase.RESUME_AFTER -> {
                    acknowledge(reply.resumeAfter)
                    resumed.complete(reply.resumeAfter)
                    progressed.complete(Unit)
                }
                EdgeReply.KindCase.ACK -> acknowledge(reply.ack)
                EdgeReply.KindCase.CANCEL -> end(EdgeCancelledException(key, reply.cancel.reason))
                EdgeReply.KindCase.FAILURE -> end(EdgeProtocolException(key, "the receiver failed the edge: ${reply.failure.message}"))
                else -> end(EdgeProtocolException(key, "the receiver sent an empty reply"))
            }
        }

        private fun acknowledge(seq: Long) {
            val done =
                synchronized(lock) {
                    while (unacked.isNotEmpty() && unacked.first().seq <= seq) unacked.removeFirst()
                    val complete =
                        (abortSeq != 0L && seq >= abortSeq) ||
                            (doneSeq != 0L && seq >= doneSeq && registered.isEmpty() && unacked.isEmpty())
                    if (complete && !finished) {
                        finished = true
                        true
                    } else {
                        false
                    }
                }
            changed()
            if (done) {
                completion.complete(Unit)
                scope.launch { scope.cancel() }
            }
        }

        private fun end(e: Throwable) {
            synchronized(lock) {
                if (error != null || finished) return
                error = e
            }
            changed()
            completion.complete(Unit)
            scope.cancel()
        }
    }

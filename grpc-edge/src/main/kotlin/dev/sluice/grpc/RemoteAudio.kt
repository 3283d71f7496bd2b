package dev.sluice.grpc

import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioChunkEvictedException
import dev.sluice.audio.AudioSampleCancelledException
import dev.sluice.grpc.AudioServer.Companion.toChunk
import dev.sluice.grpc.internal.SluiceAudioGrpcKt
import dev.sluice.grpc.internal.audioAck
import dev.sluice.grpc.internal.audioCancel
import dev.sluice.grpc.internal.audioRequest
import io.grpc.Channel
import io.grpc.Status
import io.grpc.StatusException
import io.grpc.StatusRuntimeException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.channels.Channel.Factory.CONFLATED
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.channels.Channel as CoroutineChannel

/**
 * Reads audio that an [AudioServer] publishes, as a `Flow<AudioChunk>`, so that `reframe` and every
 * other operator work on remote audio unchanged.
 *
 * When the connection fails with `UNAVAILABLE`, the flow reconnects with backoff (from
 * [initialBackoffMillis], doubling up to [maxBackoffMillis]) and asks for the next chunk index it
 * needs, so it gets every chunk once, in order. It gives up, with the last `UNAVAILABLE`, after
 * [resumeWindowMillis] without a chunk. As chunks arrive it acknowledges them (conflated: the
 * latest, one call at a time), which frees the server's replay window. A collector that stops
 * early sends an explicit cancel, because the server keeps a disconnected sample for its resume
 * window.
 */
public class RemoteAudio
    @JvmOverloads
    constructor(
        channel: Channel,
        /** The first wait before a reconnect. */
        public val initialBackoffMillis: Long = 50,
        /** The longest wait between reconnects. */
        public val maxBackoffMillis: Long = 2_000,
        /** How long to keep reconnecting without receiving a chunk. */
        public val resumeWindowMillis: Long = 30_000,
    ) {
        init {
            require(initialBackoffMillis >= 1 && maxBackoffMillis >= initialBackoffMillis) {
                "backoff must satisfy 1 <= initial <= max, was $initialBackoffMillis and $maxBackoffMillis"
            }
            require(resumeWindowMillis >= 0) { "resumeWindowMillis must be >= 0, was $resumeWindowMillis" }
        }

        private val stub = SluiceAudioGrpcKt.SluiceAudioCoroutineStub(channel)

        private val callCount =
            java.util.concurrent.atomic
                .AtomicInteger()

        /** The number of calls made so far by every flow of this client (1 per stream without reconnects). */
        public val calls: Int get() = callCount.get()

        /**
         * The chunks of sample [sampleIndex] of the stream [stream], from chunk [fromIndex] on.
         *
         * @throws AudioChunkEvictedException (from the flow) if the server no longer holds a chunk it needs.
         * @throws AudioSampleCancelledException (from the flow) if the sample was cancelled.
         * @throws StatusException (from the flow) for other failures; `ABORTED` carries the producer's message.
         */
        public fun stream(
            stream: String,
            sampleIndex: Int,
            fromIndex: Long = 0,
        ): Flow<AudioChunk> =
            flow {
                var next = fromIndex
                var backoff = initialBackoffMillis
                var lastChunkAt = System.nanoTime()
                var finished = false
                try {
                    while (true) {
                        try {
                            callCount.incrementAndGet()
                            coroutineScope {
                                // Acknowledgements, conflated: the latest chunk received, one call at a time.
                                val received = CoroutineChannel<Long>(CONFLATED)
                                val acks =
                                    launch {
                                        for (index in received) {
                                            // A lost acknowledgement only delays eviction; the next one covers it.
                                            runCatching {
                                                stub.ack(
                                                    audioAck {
                                                        this.stream = stream
                                                        sample = sampleIndex
                                                        this.index = index
                                                    },
                                                )
                                            }
                                        }
                                    }
                                try {
                                    stub
                                        .stream(
                                            audioRequest {
                                                this.stream = stream
                                                sample = sampleIndex
                                                this.fromIndex = next
                                            },
                                        ).collect { message ->
                                            val chunk = message.toChunk(sampleIndex)
                                            next = chunk.index + 1
                                            lastChunkAt = System.nanoTime()
                                            backoff = initialBackoffMillis
                                            received.trySend(chunk.index)
                                            emit(chunk)
                                        }
                                } finally {
                                    acks.cancel()
                                }
                            }
                            finished = true
                            return@flow
                        } catch (e: StatusException) {
                            handle(e.status, e.trailers, sampleIndex, next, lastChunkAt)
                        } catch (e: StatusRuntimeException) {
                            handle(e.status, e.trailers, sampleIndex, next, lastChunkAt)
                        }
                        delay(backoff)
                        backoff = minOf(backoff * 2, maxBackoffMillis)
                    }
                } catch (e: Throwable) {
                    if (e is CancellationException && e !is AudioSampleCancelledException && !finished) {
                        // The collector stopped early (take, cancel): say so, or the server waits for a resume.
                        withContext(NonCancellable) { withTimeoutOrNull(5_000) { runCatching { cancel(stream, sampleIndex) } } }
                    }
                    throw e
                }
            }

        /** Cancels sample [sampleIndex] of [stream] on the server: its producer's cancellation listeners fire. */
        public suspend fun cancel(
            stream: String,
            sampleIndex: Int,
        ): Boolean =
            stub
                .cancel(
                    audioCancel {
                        this.stream = stream
                        sample = sampleIndex
                    },
                ).cancelled

        private fun handle(
            status: Status,
            trailers: io.grpc.Metadata?,
            sampleIndex: Int,
            next: Long,
            lastChunkAt: Long,
        ) {
            when (status.code) {
                Status.Code.UNAVAILABLE -> {
                    if ((System.nanoTime() - lastChunkAt) / 1_000_000 > resumeWindowMillis) throw StatusException(status, trailers)
                }
                Status.Code.OUT_OF_RANGE -> {
                    val lastEvicted = trailers?.get(AudioServer.LAST_EVICTED)?.toLongOrNull() ?: -1L
                    throw AudioChunkEvictedException(sampleIndex, next, lastEvicted)
                }
                Status.Code.CANCELLED ->
                    if (status.description == AudioServer.CANCELLED_MARKER) {
                        throw AudioSampleCancelledException(sampleIndex)
                    } else {
                        throw StatusException(status, trailers)
                    }
                else -> throw StatusException(status, trailers)
            }
        }
    }

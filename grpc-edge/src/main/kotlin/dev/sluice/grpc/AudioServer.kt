package dev.sluice.grpc

import com.google.protobuf.UnsafeByteOperations
import dev.sluice.audio.AudioChunk
import dev.sluice.audio.AudioChunkEvictedException
import dev.sluice.audio.AudioReplay
import dev.sluice.audio.AudioSampleCancelledException
import dev.sluice.grpc.internal.AudioAck
import dev.sluice.grpc.internal.AudioAckReply
import dev.sluice.grpc.internal.AudioCancel
import dev.sluice.grpc.internal.AudioCancelReply
import dev.sluice.grpc.internal.AudioChunkMessage
import dev.sluice.grpc.internal.AudioRequest
import dev.sluice.grpc.internal.SluiceAudioGrpcKt
import dev.sluice.grpc.internal.audioCancelReply
import dev.sluice.grpc.internal.audioChunkMessage
import io.grpc.BindableService
import io.grpc.Metadata
import io.grpc.ServerServiceDefinition
import io.grpc.Status
import io.grpc.StatusException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.map
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.ConcurrentHashMap

/**
 * Serves published audio to remote clients over gRPC: a server-streaming call per sample, from an
 * [AudioReplay]'s bounded window; an acknowledgement call, by which the client says what it
 * received (a chunk handed to gRPC may still be in flight, so only the client's word frees the
 * window); and an explicit cancel call. Register it on a server with
 * `addService(server)`; read it with [RemoteAudio].
 *
 * Flow control chains: the HTTP/2 window of the call, then the serving coroutine (it suspends
 * while gRPC's outbound buffer is full), then the replay window (full of chunks the client has not
 * acknowledged, it stops taking chunks), then the streamer's bounded queue and its overflow choice.
 *
 * Errors reach the client as statuses that [RemoteAudio] turns back into the same types: an
 * evicted resume point is `OUT_OF_RANGE`, a cancelled sample `CANCELLED` with a marker, an
 * unknown stream `NOT_FOUND`, a producer's failure `ABORTED` with its message.
 */
public class AudioServer : BindableService {
    private val published = ConcurrentHashMap<String, AudioReplay>()

    /** Publishes [replay] under [name], replacing any earlier one of that name. */
    public fun publish(
        name: String,
        replay: AudioReplay,
    ) {
        published[name] = replay
    }

    /** Stops serving [name]; clients that ask for it get `NOT_FOUND`. Returns whether it was published. */
    public fun unpublish(name: String): Boolean = published.remove(name) != null

    private val service =
        object : SluiceAudioGrpcKt.SluiceAudioCoroutineImplBase() {
            override fun stream(request: AudioRequest): Flow<AudioChunkMessage> {
                val replay = replay(request.stream)
                if (request.sample !in 0 until replay.batchSize || request.fromIndex < 0) {
                    throw StatusException(
                        Status.INVALID_ARGUMENT.withDescription(
                            "sample ${request.sample} of ${replay.batchSize}, from index ${request.fromIndex}",
                        ),
                    )
                }
                return replay
                    .chunks(request.sample, request.fromIndex, acknowledgeOnEmit = false)
                    .map { it.toMessage() }
                    .catch { e -> throw toStatus(e) }
            }

            override suspend fun ack(request: AudioAck): AudioAckReply {
                val replay = replay(request.stream)
                if (request.sample in 0 until replay.batchSize) replay.acknowledge(request.sample, request.index)
                return AudioAckReply.getDefaultInstance()
            }

            override suspend fun cancel(request: AudioCancel): AudioCancelReply {
                val replay = replay(request.stream)
                if (request.sample !in 0 until replay.batchSize) {
                    throw StatusException(Status.INVALID_ARGUMENT.withDescription("sample ${request.sample} of ${replay.batchSize}"))
                }
                replay.cancel(request.sample)
                return audioCancelReply { cancelled = true }
            }
        }

    /** The gRPC service definition. */
    override fun bindService(): ServerServiceDefinition = service.bindService()

    private fun replay(name: String): AudioReplay =
        published[name] ?: throw StatusException(Status.NOT_FOUND.withDescription("no audio stream named \"$name\" is published"))

    private fun toStatus(e: Throwable): Throwable =
        when (e) {
            is AudioChunkEvictedException -> {
                val trailers = Metadata()
                trailers.put(LAST_EVICTED, e.lastEvictedIndex.toString())
                StatusException(Status.OUT_OF_RANGE.withDescription(e.message), trailers)
            }
            is AudioSampleCancelledException -> StatusException(Status.CANCELLED.withDescription(CANCELLED_MARKER))
            is StatusException -> e
            else -> StatusException(Status.ABORTED.withDescription(e.message ?: e.toString()))
        }

    internal companion object {
        val LAST_EVICTED: Metadata.Key<String> = Metadata.Key.of("sluice-last-evicted", Metadata.ASCII_STRING_MARSHALLER)
        const val CANCELLED_MARKER = "sluice: the sample was cancelled"

        fun AudioChunk.toMessage(): AudioChunkMessage {
            val bytes = ByteBuffer.allocate(samples.size * 4).order(ByteOrder.LITTLE_ENDIAN)
            bytes.asFloatBuffer().put(samples)
            val chunk = this
            return audioChunkMessage {
                index = chunk.index
                startOffset = chunk.startOffset
                // The buffer is new and never written again: wrap it rather than copy it a second time.
                samples = UnsafeByteOperations.unsafeWrap(bytes.array())
            }
        }

        fun AudioChunkMessage.toChunk(sampleIndex: Int): AudioChunk {
            val floats = samples.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
            val values = FloatArray(floats.remaining()).also { floats.get(it) }
            return AudioChunk(sampleIndex, index, values, startOffset)
        }
    }
}

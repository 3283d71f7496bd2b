package dev.sluice.benchmarks

import com.google.protobuf.ByteString
import dev.sluice.buffer.SlidingWindowChunkPolicy
import dev.sluice.buffer.StreamBuffer
import dev.sluice.grpc.EdgeCodec
import dev.sluice.grpc.EdgeKey
import dev.sluice.grpc.EdgeReceiver
import dev.sluice.grpc.EdgeSender
import dev.sluice.grpc.internal.EdgeFrame
import dev.sluice.grpc.internal.EdgeReply
import dev.sluice.grpc.internal.SluiceEdgeGrpcKt
import dev.sluice.grpc.internal.edgeFrame
import dev.sluice.grpc.internal.edgeReply
import dev.sluice.grpc.internal.item
import io.grpc.ManagedChannel
import io.grpc.Server
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.io.Closeable
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * B7: items over gRPC on loopback (Netty, 127.0.0.1). Sluice's edge (sequence numbers, acks, a
 * window, a `StreamBuffer` with a 28/7 sliding window on the far side) beside a raw grpc-kotlin
 * bidi stream on the same transport that only forwards the same items to a consumer coroutine.
 */
public class EdgeLoopback : Closeable {
    private val receiver = EdgeReceiver(EdgeCodec.INT, { SlidingWindowChunkPolicy(28, 7) })
    private val sluiceServer: Server = server(receiver)
    private val sluiceChannel: ManagedChannel = channel(sluiceServer.port)
    private val rawServer: Server = server(RawForwarder())
    private val rawChannel: ManagedChannel = channel(rawServer.port)
    private val keys = AtomicLong()

    /** Sends [n] items through a new edge; returns the new items the consumer saw. */
    public fun sluice(n: Int): Long =
        runBlocking(Dispatchers.Default) {
            val key = EdgeKey("b7-${keys.incrementAndGet()}", "talker->vocoder", 0)
            val consumer = async { receiver.chunks(key).toList().sumOf { it.newItems.size.toLong() } }
            val sender = EdgeSender(sluiceChannel, key, EdgeCodec.INT, window = 256)
            for (i in 0 until n) sender.append(i)
            sender.done()
            consumer.await()
        }

    /** Sends [n] items through a raw bidi call that forwards them; returns the items the consumer saw. */
    public fun raw(n: Int): Long =
        runBlocking(Dispatchers.Default) {
            val stub = SluiceEdgeGrpcKt.SluiceEdgeCoroutineStub(rawChannel)
            val frames: Flow<EdgeFrame> =
                flow {
                    for (i in 0 until n) {
                        val bytes = ByteString.copyFrom(ByteBuffer.allocate(4).putInt(i).array())
                        emit(edgeFrame { item = item { payload = bytes } })
                    }
                }
            stub
                .edge(frames)
                .toList()
                .single()
                .ack
        }

    /** A session for latency: one edge that stays open; each [chunkRoundTrip] puts 7 items and waits for their chunk. */
    public inner class LatencySession : Closeable {
        private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        private val key = EdgeKey("b7-latency-${keys.incrementAndGet()}", "e", 0)
        private val arrivals = Channel<Int>(Channel.UNLIMITED)
        private val sender = EdgeSender(sluiceChannel, key, EdgeCodec.INT, window = 256)
        private var next = 0

        init {
            scope.launch { receiver.chunks(key).collect { arrivals.send(it.newItems.size) } }
            // The first window needs 28 items: 21 now, then every stride of 7 completes a chunk.
            runBlocking { repeat(21) { sender.append(next++) } }
            repeat(3) { chunkRoundTrip() }
        }

        /** Appends 7 items (one stride) and waits until their chunk reaches the consumer. */
        public fun chunkRoundTrip(): Int =
            runBlocking {
                repeat(7) { sender.append(next++) }
                arrivals.receive()
            }

        override fun close() {
            runBlocking { runCatching { sender.cancel("benchmark over") } }
            sender.close()
            scope.cancel()
        }
    }

    override fun close() {
        receiver.close()
        for (c in listOf(sluiceChannel, rawChannel)) c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
        for (s in listOf(sluiceServer, rawServer)) s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
    }

    /** The peer's server side: receives each frame and forwards it to a consumer coroutine through a queue of 64. */
    private class RawForwarder : SluiceEdgeGrpcKt.SluiceEdgeCoroutineImplBase() {
        override fun edge(requests: Flow<EdgeFrame>): Flow<EdgeReply> =
            flow {
                val forwarded = Channel<EdgeFrame>(64)
                val count =
                    kotlinx.coroutines.coroutineScope {
                        val consumer =
                            async {
                                var items = 0L
                                for (frame in forwarded) if (frame.hasItem()) items++
                                items
                            }
                        requests.collect { forwarded.send(it) }
                        forwarded.close()
                        consumer.await()
                    }
                emit(edgeReply { ack = count })
            }
    }

    private companion object {
        fun server(service: io.grpc.BindableService): Server =
            NettyServerBuilder
                .forAddress(InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start()

        fun channel(port: Int): ManagedChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build()
    }
}

/** The in-process reference for B7's latency: the same 7 items into a `StreamBuffer`, then its chunk. */
public class InProcessWindow {
    private val buffer = StreamBuffer<Int>("b7", "e", 0, SlidingWindowChunkPolicy(28, 7))
    private var next = 0

    init {
        repeat(4) { chunkRoundTrip() } // the first window needs 28 items; from then on each stride makes one
    }

    /** Appends 7 items and pops their chunk. */
    public fun chunkRoundTrip(): Int {
        repeat(7) { buffer.append(next++) }
        var items = 0
        while (buffer.hasChunkReady()) items += buffer.popChunk().newItems.size
        return items
    }
}

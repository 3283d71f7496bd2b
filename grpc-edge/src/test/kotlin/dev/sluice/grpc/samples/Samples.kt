package dev.sluice.grpc.samples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioReplay
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.SlidingWindowChunkPolicy
import dev.sluice.grpc.AudioServer
import dev.sluice.grpc.EdgeCodec
import dev.sluice.grpc.EdgeKey
import dev.sluice.grpc.EdgeReceiver
import dev.sluice.grpc.EdgeSender
import dev.sluice.grpc.RemoteAudio
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import java.net.InetSocketAddress

// The samples that README.md shows. SamplesSpec runs each one and checks its output.

fun edgeSample(): List<String> =
    runBlocking(Dispatchers.Default) {
        // Process B (the vocoder's side): a gRPC server with an EdgeReceiver, a StreamBuffer per key.
        val receiver = EdgeReceiver(EdgeCodec.INT, policyFor = { SlidingWindowChunkPolicy(28, 7) })
        val server =
            NettyServerBuilder
                .forAddress(InetSocketAddress("127.0.0.1", 0))
                .addService(receiver)
                .build()
                .start()
        val key = EdgeKey(request = "req-1", edge = "talker->vocoder", partition = 0)
        val windows = async { receiver.chunks(key).toList() } // ends after the one final chunk

        // Process A (the talker's side): an EdgeSender, used as if it fed the buffer in process.
        val channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port).usePlaintext().build()
        val sender = EdgeSender(channel, key, EdgeCodec.INT)
        repeat(42) { token -> sender.append(token) } // resent after a dropped connection, applied once
        sender.done() // carries the count; returns when the receiver applied everything
        // The last full window was ready before done arrived: an empty final chunk ends the stream.

        val chunks = windows.await()
        channel.shutdownNow()
        server.shutdownNow()
        chunks.map { "window of ${it.items.size} from ${it.startOffset}: ${it.newItems.size} new, final=${it.isFinal}" }
    }
// window of 28 from 0: 28 new, final=false
// window of 28 from 7: 7 new, final=false
// window of 28 from 14: 7 new, final=false
// window of 0 from 42: 0 new, final=true

fun remoteAudioSample(): List<String> =
    runBlocking(Dispatchers.Default) {
        // The serving process: publish a streamer's samples from a bounded replay window.
        val streamer = AsyncAudioStreamer(batchSize = 1, capacity = 8)
        val scope = CoroutineScope(Dispatchers.Default)
        val audio = AudioServer().apply { publish("tts", AudioReplay(streamer, scope, capacity = 64)) }
        val server =
            NettyServerBuilder
                .forAddress(InetSocketAddress("127.0.0.1", 0))
                .addService(audio)
                .build()
                .start()
        repeat(5) { streamer.put(FloatArray(300) { 0.1f }, 0) }
        streamer.end()

        // The client: a Flow<AudioChunk> that resumes after a dropped connection, so every operator works.
        val channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port).usePlaintext().build()
        val frames = RemoteAudio(channel).stream("tts", sampleIndex = 0).reframe(FixedChunkPolicy(480)).toList()

        channel.shutdownNow()
        server.shutdownNow()
        scope.cancel()
        frames.filter { it.newSize > 0 }.map { "frame ${it.index}: ${it.newSize} samples" }
    }
// frame 0: 480 samples
// frame 1: 480 samples
// frame 2: 480 samples
// frame 3: 60 samples

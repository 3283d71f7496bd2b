package dev.sluice.examples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioReplay
import dev.sluice.grpc.AudioServer
import dev.sluice.grpc.EdgeCodec
import dev.sluice.grpc.EdgeKey
import dev.sluice.grpc.EdgeReceiver
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.io.File
import java.io.PrintStream
import java.net.InetSocketAddress
import java.util.concurrent.TimeUnit

/**
 * `./demo --remote`: the vocoder's process. The talker's process starts it as a child JVM; it serves
 * an [EdgeReceiver] (one `StreamBuffer` per sample, cut by the demo's policy) and an [AudioServer]
 * on 127.0.0.1, prints `port N`, decodes each chunk with the exact trim, and serves the audio back.
 * It exits when its standard input closes (the parent is done, or gone).
 */
internal object RemoteVocoder {
    const val FLAG = "--vocoder-worker"
    const val STREAM = "demo"

    fun key(sample: Int) = EdgeKey("demo", "talker->vocoder", sample)

    fun run(
        args: List<String>,
        out: PrintStream,
    ): Int {
        val options = DemoOptions.parse(args)
        val batch = options.texts.size
        val receiver = EdgeReceiver(EdgeCodec.INT, { options.policy })
        val streamer = AsyncAudioStreamer(batchSize = batch, capacity = 64)
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val audio = AudioServer().apply { publish(STREAM, AudioReplay(streamer, scope, capacity = 256)) }
        val server =
            NettyServerBuilder
                .forAddress(InetSocketAddress("127.0.0.1", 0))
                .addService(receiver)
                .addService(audio)
                .build()
                .start()
        out.println("port ${server.port}")
        out.flush()
        val vocoding =
            scope.launch {
                (0 until batch)
                    .map { i ->
                        launch {
                            val vocoder = CausalVocoder(options.receptive)
                            try {
                                receiver.chunks(key(i)).collect { chunk ->
                                    val audioOfNew = Demo.decodeNew(vocoder, chunk)
                                    if (audioOfNew.isNotEmpty()) streamer.send(audioOfNew, i)
                                }
                                streamer.end(intArrayOf(i))
                            } catch (e: Throwable) {
                                streamer.fail(e)
                            }
                        }
                    }.joinAll()
            }
        // Serve until the parent closes our standard input.
        @Suppress("ControlFlowWithEmptyBody")
        while (System.`in`.read() >= 0) {
            // nothing to read: waiting for the end of input
        }
        runBlocking { vocoding.cancel() }
        scope.cancel()
        receiver.close()
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS)
        return 0
    }

    /** Starts the vocoder's process with the demo's own options; returns it and the port it serves. */
    fun start(args: List<String>): Pair<Process, Int> {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val process =
            ProcessBuilder(listOf(java, "-cp", System.getProperty("java.class.path"), "dev.sluice.examples.MainKt", FLAG) + args)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
        val line = process.inputStream.bufferedReader().readLine()
        val port = line?.removePrefix("port ")?.toIntOrNull()
        if (port == null) {
            process.destroyForcibly()
            error("the vocoder process did not start (it said: $line)")
        }
        return process to port
    }
}

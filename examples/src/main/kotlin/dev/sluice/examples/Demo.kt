package dev.sluice.examples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.AudioChunk
import dev.sluice.audio.reframe
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.StreamBuffer
import dev.sluice.buffer.StreamChunk
import dev.sluice.grpc.EdgeCodec
import dev.sluice.grpc.EdgeSender
import dev.sluice.grpc.RemoteAudio
import io.grpc.ManagedChannel
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.io.File
import java.io.PrintStream
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread
import kotlin.random.Random

/** What a run produced: a report per sample, the WAV files and the timeline picture. */
internal class DemoResult(
    val reports: List<SampleReport>,
    val wavFiles: List<File>,
    val timeline: File,
    /** What was loaded before the clock started (voices, models), for the log; null if nothing. */
    val setup: String? = null,
)

/** Live counters of one sample, read by the progress line. */
private class Progress {
    val chunks = AtomicInteger()
    val samples = AtomicLong()
    val underruns = AtomicInteger()
}

/**
 * The end-to-end pipeline: producers put audio into one [AsyncAudioStreamer]; per sample, a
 * consumer coroutine re-frames it to 20 ms frames and feeds a simulated real-time player and a WAV
 * writer. With the synthetic engine, a talker thread generates codec frames, a [StreamBuffer] per
 * sample cuts them with the chosen policy, and a [CausalVocoder] decodes each chunk and keeps the
 * audio of its new frames only.
 */
internal class Demo(
    private val options: DemoOptions,
    private val console: PrintStream?,
) {
    /** When the engine was asked to speak (models and voices are loaded before). */
    private var start = System.nanoTime()

    private fun seconds(nanos: Long): Double = (nanos - start) / 1e9

    fun run(): DemoResult {
        options.out.mkdirs()
        val batch = options.texts.size
        // Fetched (npm pack, SHA-256 checked) before any engine starts, so a missing npm fails fast.
        val vad = if (options.vad) SileroVad(SileroVad.model()) else null
        var setup: String? = null
        val streamer = AsyncAudioStreamer(batchSize = batch, capacity = 64)
        val progress = List(batch) { Progress() }
        val generationEnd = LongArray(batch)
        val sampleRate: Int
        val offline: List<() -> FloatArray?>
        val producers: List<Thread>
        var sources: List<Flow<AudioChunk>> = List(batch) { streamer.stream(it) }
        var vocoderProcess: Process? = null
        var channel: ManagedChannel? = null
        val count: (Int, Int) -> Unit = { i, n ->
            progress[i].chunks.incrementAndGet()
            progress[i].samples.addAndGet(n.toLong())
        }
        val ended: (Int) -> Unit = { i -> generationEnd[i] = System.nanoTime() }
        when (options.engine) {
            "espeak" -> {
                val engine = EspeakEngine(options.texts)
                sampleRate = engine.sampleRate
                offline = List(batch) { { null } }
                start = System.nanoTime()
                producers = engine.start(streamer, count, ended)
            }
            "freetts" -> {
                val engine = FreeTtsEngine(options.texts)
                setup =
                    "FreeTTS: ${options.texts.size} kevin16 voice(s) loaded in ${"%.0f".format(
                        engine.loadMillis,
                    )} ms, before the clock starts"
                sampleRate = engine.sampleRate
                // Read once the sample's stream has ended: the engine's whole output, teed.
                offline = List(batch) { i -> { engine.wholeOutput(i) } }
                start = System.nanoTime()
                producers = engine.start(streamer, count, ended)
            }
            else -> {
                sampleRate = CausalVocoder.SAMPLE_RATE
                val vocoder = CausalVocoder(options.receptive)
                val tokens = options.texts.map(Talker::frames)
                offline = tokens.map { t -> vocoder.decode(t, 0).let { audio -> { audio } } }
                if (options.remote) {
                    // The vocoder runs in a second JVM: tokens go there over a gRPC edge, audio comes back.
                    val (process, port) = RemoteVocoder.start(options.args)
                    vocoderProcess = process
                    val remoteChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build()
                    channel = remoteChannel
                    val audio = RemoteAudio(remoteChannel)
                    sources = List(batch) { audio.stream(RemoteVocoder.STREAM, it) }
                    setup = "vocoder process started on 127.0.0.1:$port"
                    start = System.nanoTime()
                    producers = listOf(thread(name = "talker") { talkRemote(remoteChannel, tokens, progress, generationEnd) })
                } else {
                    start = System.nanoTime()
                    producers = listOf(thread(name = "talker") { talk(streamer, tokens, vocoder, progress, generationEnd) })
                }
            }
        }
        val frameSize = sampleRate / 50
        val reports =
            runBlocking(Dispatchers.Default) {
                val ticker =
                    console?.let { out ->
                        launch {
                            while (isActive) {
                                out.print("\r" + progressLine(progress, sampleRate))
                                delay(200)
                            }
                        }
                    }
                val results =
                    (0 until batch)
                        .map { i -> async { consume(i, sources[i], sampleRate, frameSize, offline[i], progress[i], vad) } }
                        .awaitAll()
                ticker?.cancel()
                console?.println("\r" + progressLine(progress, sampleRate))
                results
            }
        producers.forEach { it.join() }
        vad?.close()
        channel?.shutdownNow()?.awaitTermination(5, TimeUnit.SECONDS)
        vocoderProcess?.let { p ->
            p.outputStream.close() // the vocoder process exits when its input closes
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly()
        }
        val finished =
            reports.map { r ->
                SampleReport(
                    r.index,
                    r.text,
                    r.sampleRate,
                    r.chunks,
                    r.frames,
                    r.samples,
                    r.firstAudioMillis,
                    seconds(generationEnd[r.index]),
                    r.underruns,
                    r.offlineSamples,
                    r.maxDiff,
                    r.timings,
                    r.vad,
                )
            }
        val timeline = File(options.out, "timeline.png")
        Timeline.write(finished, timeline)
        if (vad != null) setup = listOfNotNull(setup, "Silero VAD: ${SileroVad.PACKAGE}, SHA-256 checked, one thread").joinToString("; ")
        return DemoResult(finished, (0 until batch).map { wavFile(it) }, timeline, setup)
    }

    private fun wavFile(i: Int) = File(options.out, "sample-$i.wav")

    /** The generation thread: talker, one StreamBuffer per sample, vocoder, streamer. */
    private fun talk(
        streamer: AsyncAudioStreamer,
        tokens: List<List<Int>>,
        vocoder: CausalVocoder,
        progress: List<Progress>,
        generationEnd: LongArray,
    ) {
        try {
            val random = Random(options.seed)
            val buffers = tokens.indices.map { StreamBuffer<Int>("demo", "talker->vocoder", it, options.policy) }
            val interval = 1e9 / Talker.FRAMES_PER_SECOND / options.rate
            // At least one step, so that an empty text (no token at all) still says it is done.
            for (step in 0 until maxOf(1, tokens.maxOf { it.size })) {
                for (i in tokens.indices) {
                    val buffer = buffers[i]
                    if (buffer.isFinished || streamer.isCancelled(i)) continue
                    if (step < tokens[i].size) buffer.append(tokens[i][step])
                    if (step >= tokens[i].lastIndex) buffer.signalDone()
                    buffer.forEachReady { chunk ->
                        val audio = decodeNew(vocoder, chunk)
                        progress[i].chunks.incrementAndGet()
                        progress[i].samples.addAndGet(audio.size.toLong())
                        if (audio.isNotEmpty()) streamer.put(audio, i)
                    }
                    if (buffer.isFinished) {
                        generationEnd[i] = System.nanoTime()
                        streamer.end(intArrayOf(i))
                    }
                }
                // Realistic pacing: each frame takes a jittered share of its real-time length.
                val nanos = (interval * (0.5 + random.nextDouble())).toLong()
                Thread.sleep(nanos / 1_000_000, (nanos % 1_000_000).toInt())
            }
        } catch (e: Throwable) {
            streamer.fail(e)
        }
    }

    /** The talker of `--remote`: the same tokens and pacing, sent over one gRPC edge per sample. */
    private fun talkRemote(
        channel: ManagedChannel,
        tokens: List<List<Int>>,
        progress: List<Progress>,
        generationEnd: LongArray,
    ) = runBlocking {
        val senders = tokens.indices.map { EdgeSender(channel, RemoteVocoder.key(it), EdgeCodec.INT) }
        try {
            val random = Random(options.seed)
            val interval = 1e9 / Talker.FRAMES_PER_SECOND / options.rate
            for (step in 0 until maxOf(1, tokens.maxOf { it.size })) {
                for (i in tokens.indices) {
                    if (step < tokens[i].size) {
                        senders[i].append(tokens[i][step])
                        progress[i].chunks.incrementAndGet()
                    }
                    if (step == maxOf(0, tokens[i].lastIndex)) {
                        senders[i].done() // returns once the vocoder's process applied every token
                        generationEnd[i] = System.nanoTime()
                    }
                }
                delay((interval * (0.5 + random.nextDouble()) / 1e6).toLong())
            }
        } finally {
            senders.forEach { it.close() }
        }
    }

    private suspend fun consume(
        i: Int,
        source: Flow<AudioChunk>,
        sampleRate: Int,
        frameSize: Int,
        offlineAudio: () -> FloatArray?,
        progress: Progress,
        vad: SileroVad?,
    ): SampleReport {
        val vadStream = vad?.Stream()
        val clock = PlaybackClock(frameMillis = 1000.0 * frameSize / sampleRate)
        val chunkStarts = ConcurrentLinkedQueue<Long>()
        val timings = mutableListOf<ChunkTiming>()
        var chunks = 0
        var firstAudio = -1L
        val played = FloatList()
        WavWriter(wavFile(i), sampleRate).use { wav ->
            source
                .onEach {
                    chunks++
                    chunkStarts += it.startOffset
                    vadStream?.push(it.samples)
                }.reframe(FixedChunkPolicy(frameSize))
                .collect { frame ->
                    if (frame.newSize == 0) return@collect // the empty end-of-stream frame: nothing to play
                    val now = System.nanoTime()
                    if (firstAudio < 0) firstAudio = now
                    val due = if (clock.startedAt < 0) now else clock.deadline(frame.index)
                    while (chunkStarts.isNotEmpty() && chunkStarts.peek() / frameSize <= frame.index) {
                        val s = chunkStarts.poll()
                        timings += ChunkTiming(s.toDouble() / sampleRate, seconds(now), seconds(due))
                    }
                    clock.arrive(frame.index, now)
                    progress.underruns.set(clock.underruns)
                    wav.write(frame.samples, frame.newOffset, frame.newLength)
                    played.add(frame.samples, frame.newOffset, frame.newLength)
                }
        }
        val streamed = played.toArray()
        val offline = offlineAudio()
        // VAD offline over the engine's whole output (or, without one, over the played audio).
        val vadReport =
            if (vad != null &&
                vadStream != null
            ) {
                VadReport(vadStream.finish(), vad.offline(offline ?: streamed), vadStream.modelNanos)
            } else {
                null
            }
        val maxDiff =
            offline?.let { ref ->
                var m = 0.0
                for (k in 0 until minOf(ref.size, streamed.size)) m = maxOf(m, kotlin.math.abs((ref[k] - streamed[k]).toDouble()))
                m
            }
        return SampleReport(
            i,
            options.texts[i],
            sampleRate,
            chunks,
            clock.framesPlayed,
            streamed.size,
            if (firstAudio < 0) 0.0 else (firstAudio - start) / 1e6,
            0.0,
            clock.underruns,
            offline?.size,
            maxDiff,
            timings,
            vadReport,
        )
    }

    private fun progressLine(
        progress: List<Progress>,
        sampleRate: Int,
    ): String =
        progress.withIndex().joinToString("  |  ") { (i, p) ->
            "sample $i: ${p.chunks.get()} chunks, ${"%.2f".format(
                p.samples.get().toDouble() / sampleRate,
            )} s audio, ${p.underruns.get()} underruns"
        }

    companion object {
        /** Decodes [chunk] and keeps the audio of its new frames only: the exact trim, by `contextSize`. */
        fun decodeNew(
            vocoder: CausalVocoder,
            chunk: StreamChunk<Int>,
        ): FloatArray {
            val all = vocoder.decode(chunk.items, chunk.startOffset)
            return all.copyOfRange(chunk.contextSize * CausalVocoder.SAMPLES_PER_FRAME, all.size)
        }
    }
}

/** A growable float array. */
internal class FloatList {
    private var data = FloatArray(4096)
    private var size = 0

    fun add(
        values: FloatArray,
        offset: Int,
        length: Int,
    ) {
        if (size + length > data.size) data = data.copyOf(maxOf(data.size * 2, size + length))
        values.copyInto(data, size, offset, offset + length)
        size += length
    }

    fun toArray(): FloatArray = data.copyOf(size)
}

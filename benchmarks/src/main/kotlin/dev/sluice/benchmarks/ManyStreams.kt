package dev.sluice.benchmarks

import dev.sluice.audio.AsyncAudioStreamer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.launch
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * B8: [streams] concurrent streams, each read by its own consumer (a coroutine or a thread), fed
 * by 2 producer threads. One [round] puts [perRound] chunks into every stream, spread over the
 * producers (producer p feeds the streams `p, p + 2, p + 4, ...`), and returns once every consumer
 * has its chunks. Each chunk's latency, from just before its put to its receipt, is kept for
 * [latencyPercentile].
 *
 * Implementations: [sluice], [channels] and [threads] (platform or virtual).
 */
public abstract class ManyStreams internal constructor(
    /** How many streams, each with its own consumer. */
    public val streams: Int,
    /** How many chunks each stream gets per [round]. */
    public val perRound: Int,
) : AutoCloseable {
    private val chunk = FloatArray(CHUNK_SIZE)
    private val sentAt = LongArray(streams * perRound)
    private val latencies = LongArray(streams * perRound)
    private val remaining = AtomicInteger()
    private val producers = Executors.newFixedThreadPool(PRODUCERS)

    @Volatile
    private var roundDone = CountDownLatch(0)

    /** Latencies of the rounds since the last [clearLatencies], in ns. */
    private var kept = LongArray(0)
    private var keptCount = 0

    /** Puts [chunk] into stream [stream]; called from a producer thread. */
    protected abstract fun put(
        stream: Int,
        chunk: FloatArray,
    )

    /** Called by stream [stream]'s consumer for its chunk [k] of the round (0 until [perRound]). */
    protected fun received(
        stream: Int,
        k: Int,
    ) {
        val slot = stream * perRound + k
        latencies[slot] = System.nanoTime() - sentAt[slot]
        if (remaining.decrementAndGet() == 0) roundDone.countDown()
    }

    /** One round: `streams * perRound` chunks put by 2 producers, returns once all are received. */
    public fun round(): Int {
        val total = streams * perRound
        remaining.set(total)
        val done = CountDownLatch(1)
        roundDone = done
        val puts =
            (0 until PRODUCERS).map { p ->
                producers.submit {
                    for (k in 0 until perRound) {
                        var s = p
                        while (s < streams) {
                            sentAt[s * perRound + k] = System.nanoTime()
                            put(s, chunk)
                            s += PRODUCERS
                        }
                    }
                }
            }
        puts.forEach { it.get() }
        check(
            done.await(ROUND_TIMEOUT_S, TimeUnit.SECONDS),
        ) { "round not received within $ROUND_TIMEOUT_S s: ${remaining.get()} chunks missing" }
        keep()
        return total
    }

    private fun keep() {
        if (keptCount + latencies.size > kept.size) kept = kept.copyOf(maxOf(kept.size * 2, keptCount + latencies.size))
        latencies.copyInto(kept, keptCount)
        keptCount += latencies.size
    }

    /** Forgets the latencies kept so far. */
    public fun clearLatencies() {
        keptCount = 0
    }

    /** The [p]th percentile (0..100) of the latencies kept since [clearLatencies], in ns; 0 if none. */
    public fun latencyPercentile(p: Double): Long {
        if (keptCount == 0) return 0
        val sorted = kept.copyOf(keptCount).also { it.sort() }
        return sorted[((p / 100.0) * (keptCount - 1)).toInt()]
    }

    /** Stops the producers; subclasses stop their consumers. */
    override fun close() {
        producers.shutdownNow()
    }

    public companion object {
        /** Floats per chunk: 20 ms at 24 kHz. */
        public const val CHUNK_SIZE: Int = 480

        /** Each stream's queue capacity, in chunks, for Sluice and every peer. */
        public const val CAPACITY: Int = 64

        private const val PRODUCERS = 2
        private const val ROUND_TIMEOUT_S = 60L

        /** Sluice: one `AsyncAudioStreamer` of [streams] samples, each collected by its own coroutine. */
        @JvmStatic
        public fun sluice(
            streams: Int,
            perRound: Int,
        ): ManyStreams = SluiceStreams(streams, perRound)

        /** A kotlinx `Channel(64)` and a coroutine per stream. */
        @JvmStatic
        public fun channels(
            streams: Int,
            perRound: Int,
        ): ManyStreams = ChannelStreams(streams, perRound)

        /** A `LinkedBlockingQueue(64)` and a thread per stream, from [threads] (one per task). */
        @JvmStatic
        public fun threads(
            streams: Int,
            perRound: Int,
            threads: ExecutorService,
        ): ManyStreams = ThreadStreams(streams, perRound, threads)
    }
}

private class SluiceStreams(
    streams: Int,
    perRound: Int,
) : ManyStreams(streams, perRound) {
    private val streamer = AsyncAudioStreamer(batchSize = streams, capacity = CAPACITY)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    init {
        for (s in 0 until streams) {
            scope.launch(start = CoroutineStart.UNDISPATCHED) {
                streamer.stream(s).collect { received(s, (it.index % perRound).toInt()) }
            }
        }
    }

    override fun put(
        stream: Int,
        chunk: FloatArray,
    ) = streamer.put(chunk, stream)

    override fun close() {
        super.close()
        streamer.end()
        scope.cancel()
    }
}

private class ChannelStreams(
    streams: Int,
    perRound: Int,
) : ManyStreams(streams, perRound) {
    private val channels = Array(streams) { Channel<FloatArray>(CAPACITY) }
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    init {
        for (s in 0 until streams) {
            scope.launch(start = CoroutineStart.UNDISPATCHED) {
                var k = 0L
                for (c in channels[s]) received(s, (k++ % perRound).toInt())
            }
        }
    }

    override fun put(
        stream: Int,
        chunk: FloatArray,
    ) {
        channels[stream].trySendBlocking(chunk).getOrThrow()
    }

    override fun close() {
        super.close()
        channels.forEach { it.close() }
        scope.cancel()
    }
}

private class ThreadStreams(
    streams: Int,
    perRound: Int,
    private val threads: ExecutorService,
) : ManyStreams(streams, perRound) {
    private val queues = Array(streams) { LinkedBlockingQueue<FloatArray>(CAPACITY) }

    init {
        for (s in 0 until streams) {
            threads.execute {
                var k = 0L
                while (true) {
                    val c = queues[s].take()
                    if (c === END) break
                    received(s, (k++ % perRound).toInt())
                }
            }
        }
    }

    override fun put(
        stream: Int,
        chunk: FloatArray,
    ) = queues[stream].put(chunk)

    override fun close() {
        super.close()
        queues.forEach { it.put(END) }
        threads.shutdown()
        threads.awaitTermination(30, TimeUnit.SECONDS)
    }

    private companion object {
        val END = FloatArray(0)
    }
}

package dev.sluice.benchmarks

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.audio.BlockingAudioReader
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.runBlocking
import java.util.concurrent.LinkedBlockingQueue
import kotlin.concurrent.thread

/**
 * B5: [n] chunks handed from a producer thread to a consumer through a queue of [capacity]
 * chunks. Each returns the number of chunks the consumer received.
 */
public object Handoff {
    /** Sluice: `AsyncAudioStreamer.put` on a thread, `stream(0)` collected in a coroutine. */
    @JvmStatic
    public fun sluice(
        n: Int,
        capacity: Int,
        chunk: FloatArray,
    ): Long =
        sluiceHandoff(n, capacity, chunk) { streamer ->
            runBlocking {
                var count = 0L
                streamer.stream(0).collect { count++ }
                count
            }
        }

    /**
     * Sluice with a consumer on a plain thread, as [queue]'s is: `AsyncAudioStreamer.put` on a
     * thread, `BlockingAudioReader.iterator(0)` on the calling thread.
     */
    @JvmStatic
    public fun sluiceBlocking(
        n: Int,
        capacity: Int,
        chunk: FloatArray,
    ): Long =
        sluiceHandoff(n, capacity, chunk) { streamer ->
            var count = 0L
            BlockingAudioReader(streamer).iterator(0).use { chunks ->
                while (chunks.hasNext()) {
                    chunks.next()
                    count++
                }
            }
            count
        }

    /**
     * Puts [n] chunks into sample 0 of a new streamer of [capacity] from a producer thread, then
     * ends it, while [consume] reads the sample on the calling thread; returns what [consume] counted.
     */
    private fun sluiceHandoff(
        n: Int,
        capacity: Int,
        chunk: FloatArray,
        consume: (AsyncAudioStreamer) -> Long,
    ): Long {
        val streamer = AsyncAudioStreamer(batchSize = 1, capacity = capacity)
        val producer =
            thread {
                repeat(n) { streamer.put(chunk, 0) }
                streamer.end()
            }
        val received = consume(streamer)
        producer.join()
        return received
    }

    /** A raw kotlinx `Channel(capacity)`: `trySendBlocking` on a thread, received in a coroutine. */
    @JvmStatic
    public fun channel(
        n: Int,
        capacity: Int,
        chunk: FloatArray,
    ): Long {
        val channel = Channel<FloatArray>(capacity)
        val producer =
            thread {
                repeat(n) { channel.trySendBlocking(chunk) }
                channel.close()
            }
        val received =
            runBlocking {
                var count = 0L
                for (c in channel) count++
                count
            }
        producer.join()
        return received
    }

    /** A `LinkedBlockingQueue(capacity)`: `put` on a thread, `take` on the calling thread. */
    @JvmStatic
    public fun queue(
        n: Int,
        capacity: Int,
        chunk: FloatArray,
    ): Long {
        val queue = LinkedBlockingQueue<FloatArray>(capacity)
        val end = FloatArray(0)
        val producer =
            thread {
                repeat(n) { queue.put(chunk) }
                queue.put(end)
            }
        var count = 0L
        while (queue.take() !== end) count++
        producer.join()
        return count
    }
}

package dev.sluice.benchmarks

import dev.sluice.audio.AsyncAudioStreamer
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.runBlocking
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.Semaphore
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.locks.LockSupport
import kotlin.concurrent.thread

/**
 * B6: a producer thread puts [total] chunks round-robin into [samples] samples; one consumer reads
 * the whole batch. Each returns the number of chunks the consumer received.
 */
public object BatchWorkloads {
    /** Sluice: `AsyncAudioStreamer.batch()`, which waits in `select`. */
    @JvmStatic
    public fun sluice(
        samples: Int,
        total: Int,
        chunk: FloatArray,
    ): Long {
        val streamer = AsyncAudioStreamer(batchSize = samples, capacity = CAPACITY)
        val producer =
            thread {
                for (k in 0 until total) streamer.put(chunk, k % samples)
                streamer.end()
            }
        val received =
            runBlocking {
                var count = 0L
                streamer.batch().collect { count += it.size }
                count
            }
        producer.join()
        return received
    }

    /**
     * The reference design's loop, written for the comparison: poll every sample's queue without
     * blocking, and sleep 1 ms whenever none had a chunk.
     */
    @JvmStatic
    public fun pollAndSleep(
        samples: Int,
        total: Int,
        chunk: FloatArray,
    ): Long {
        val queues = List(samples) { ArrayBlockingQueue<FloatArray>(CAPACITY) }
        val done = AtomicBoolean(false)
        val producer =
            thread {
                for (k in 0 until total) queues[k % samples].put(chunk)
                done.set(true)
            }
        var count = 0L
        while (true) {
            var got = 0
            for (q in queues) if (q.poll() != null) got++
            count += got
            if (got == 0) {
                if (done.get() && queues.all { it.isEmpty() }) break
                Thread.sleep(1)
            }
        }
        producer.join()
        return count
    }

    /** The per-sample queue capacity of both designs. */
    public const val CAPACITY: Int = 64
}

/**
 * B6 latency: a consumer that runs in the background; [roundTrip] puts one chunk and returns when
 * the consumer has received it. [settle], called before a round trip and outside its timing, makes
 * it a round trip that starts while the consumer waits.
 */
public class BatchLatencyHarness
    @JvmOverloads
    constructor(
        private val samples: Int,
        sluice: Boolean,
        /** Put every chunk into sample 0, leaving the others idle (B8), instead of round-robin. */
        private val oneActive: Boolean = false,
    ) : AutoCloseable {
        private val acks = Semaphore(0)
        private val chunk = FloatArray(480)
        private val streamer = if (sluice) AsyncAudioStreamer(batchSize = samples, capacity = BatchWorkloads.CAPACITY) else null
        private val queues = List(samples) { ArrayBlockingQueue<FloatArray>(BatchWorkloads.CAPACITY) }
        private val stop = AtomicBoolean(false)
        private var next = 0

        private val consumer =
            thread(name = "batch-consumer", isDaemon = true) {
                if (streamer != null) {
                    runBlocking { streamer.batch().collect { acks.release(it.size) } }
                } else {
                    while (!stop.get()) {
                        var got = 0
                        for (q in queues) if (q.poll() != null) got++
                        if (got > 0) acks.release(got) else Thread.sleep(1)
                    }
                }
            }

        /**
         * Returns once the consumer waits for the next chunk (its thread is blocked: suspended in
         * `batch()`'s `select`, or asleep between the poll-and-sleep loop's passes), and then [delayNanos]
         * later, so that the next [roundTrip]'s put lands at that moment of the wait.
         *
         * Without it, a round trip that follows another put while a poll-and-sleep consumer was still
         * finishing the pass that found the last chunk: with 64 samples that pass is long enough to catch
         * most puts, and the peer was measured as if it never slept.
         */
        public fun settle(delayNanos: Long) {
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
            while (true) {
                val state = consumer.state
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) break
                check(state != Thread.State.TERMINATED) { "the consumer has stopped" }
                check(System.nanoTime() - deadline < 0) { "the consumer did not wait within 10 s (it is $state)" }
                Thread.onSpinWait()
            }
            val until = System.nanoTime() + delayNanos
            while (true) {
                val left = until - System.nanoTime()
                if (left <= 0) break
                LockSupport.parkNanos(left)
            }
        }

        /** The consumer thread's state, for tests of [settle]. */
        public fun consumerState(): Thread.State = consumer.state

        /** Puts one chunk into the next sample, waits (at most 10 s) until the consumer has it, and returns that sample. */
        public fun roundTrip(): Int {
            val sample = next
            if (!oneActive) next = (next + 1) % samples
            if (streamer != null) streamer.put(chunk, sample) else queues[sample].put(chunk)
            check(acks.tryAcquire(10, TimeUnit.SECONDS)) { "the consumer did not receive the chunk of sample $sample" }
            return sample
        }

        override fun close() {
            stop.set(true)
            streamer?.end()
            consumer.join(10_000)
        }
    }

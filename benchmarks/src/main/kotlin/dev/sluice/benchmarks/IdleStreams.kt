package dev.sluice.benchmarks

import dev.sluice.audio.AsyncAudioStreamer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.launch
import java.lang.management.ManagementFactory
import java.util.concurrent.ExecutorService
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReferenceArray

/**
 * B8, memory: [n] idle streams, each with its consumer waiting for a first chunk that does not
 * come, kept alive until [AutoCloseable.close]. [retainedBytesPerStream] measures the heap they
 * hold after a full GC.
 */
public object IdleStreams {
    /** Sluice: [n] `AsyncAudioStreamer`s of batch 1, each collected by a suspended coroutine. */
    @JvmStatic
    public fun sluice(n: Int): AutoCloseable {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val streamers = Array(n) { AsyncAudioStreamer(batchSize = 1, capacity = ManyStreams.CAPACITY) }
        // Undispatched: each coroutine runs to its first suspension, the wait for a chunk, before launch returns.
        for (s in streamers) scope.launch(start = CoroutineStart.UNDISPATCHED) { s.stream(0).collect {} }
        return AutoCloseable {
            streamers.forEach { it.end() }
            scope.cancel()
        }
    }

    /** [n] kotlinx `Channel(64)`s, each received from by a suspended coroutine. */
    @JvmStatic
    public fun channels(n: Int): AutoCloseable {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        val channels = Array(n) { Channel<FloatArray>(ManyStreams.CAPACITY) }
        for (c in channels) scope.launch(start = CoroutineStart.UNDISPATCHED) { while (c.receiveCatching().isSuccess) continue }
        return AutoCloseable {
            channels.forEach { it.close() }
            scope.cancel()
        }
    }

    /**
     * [n] `LinkedBlockingQueue(64)`s, each taken from by a task of [threads] (one thread per task),
     * returned once every thread is parked in `take`. A platform thread's stack is native memory,
     * outside the heap; a virtual thread's is on the heap while it is parked.
     */
    @JvmStatic
    public fun threads(
        n: Int,
        threads: ExecutorService,
    ): AutoCloseable {
        val queues = Array(n) { LinkedBlockingQueue<FloatArray>(ManyStreams.CAPACITY) }
        val started = AtomicReferenceArray<Thread>(n)
        val end = FloatArray(0)
        for (i in 0 until n) {
            threads.execute {
                started.set(i, Thread.currentThread())
                while (queues[i].take() !== end) continue
            }
        }
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        for (i in 0 until n) {
            while (started.get(i)?.state != Thread.State.WAITING) {
                check(System.nanoTime() < deadline) { "thread $i is not waiting after 60 s" }
                Thread.sleep(1)
            }
        }
        return AutoCloseable {
            queues.forEach { it.put(end) }
            threads.shutdown()
            threads.awaitTermination(60, TimeUnit.SECONDS)
        }
    }

    /**
     * The heap retained per stream by the [n] streams [open] makes: used heap after a full GC with
     * them, minus before them, over [n].
     */
    @JvmStatic
    public fun retainedBytesPerStream(
        n: Int,
        open: (Int) -> AutoCloseable,
    ): Long {
        val before = usedHeapAfterGc()
        val streams = open(n)
        try {
            val after = usedHeapAfterGc()
            return (after - before) / n
        } finally {
            streams.close()
        }
    }

    /** Used heap after full GCs, once it stops shrinking (at most 5 GCs). */
    @JvmStatic
    public fun usedHeapAfterGc(): Long {
        val memory = ManagementFactory.getMemoryMXBean()
        var used = Long.MAX_VALUE
        repeat(5) {
            System.gc()
            val now = memory.heapMemoryUsage.used
            if (now >= used) return now
            used = now
        }
        return used
    }
}

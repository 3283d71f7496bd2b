package dev.sluice.audio.internal

import dev.sluice.audio.AudioChunk
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.selects.select
import kotlin.time.Duration

/**
 * Reads a whole batch: each [next] returns one map with the oldest chunk of every sample that has
 * one, waiting in `select` on the batch's [ReadySet] signal while none has. Taking one chunk from
 * every ready sample per map makes it fair: a flooding sample cannot starve a trickling one. A
 * sample that was cancelled (by the producer side's `cancel`) leaves the batch quietly; the others
 * go on.
 *
 * A map costs what its ready samples cost, not what the batch holds: the cursor polls only the
 * samples that gave a chunk in the last round (they may have more) and those the [ReadySet] says
 * changed since they were found empty. Every sample is polled once at the start.
 */
internal class BatchCursor(
    private val lanes: List<SampleLane>,
) {
    private val ready = ReadySet(lanes.size)

    /** The samples to poll in the next round: `toPoll[0 until toPollCount]`. */
    private var toPoll = IntArray(lanes.size) { it }
    private var toPollCount = lanes.size

    /** The samples that gave a chunk in this round, to poll again in the next. */
    private var gave = IntArray(lanes.size)
    private var liveCount = lanes.size
    private var failure: Throwable? = null

    /** How many times this cursor has polled a sample, in all; for tests. */
    var polls: Long = 0
        private set

    init {
        for ((k, lane) in lanes.withIndex()) {
            check(lane.index == k) { "lane $k has index ${lane.index}" }
            lane.joinBatch(ready)
        }
    }

    /** The next map, or null once every sample ended or was cancelled; throws a failed sample's cause, or [dev.sluice.audio.AudioStreamTimeoutException] when a wait outlasts [timeout]. */
    suspend fun next(timeout: Duration?): Map<Int, AudioChunk>? {
        while (true) {
            currentCoroutineContext().ensureActive()
            toPollCount = ready.drainInto(toPoll, toPollCount)
            var map: MutableMap<Int, AudioChunk>? = null
            var gaveCount = 0
            for (k in 0 until toPollCount) {
                val lane = lanes[toPoll[k]]
                when (val chunk = lane.poll()) {
                    null -> {} // marked waiting: the lane adds itself to `ready` when that changes
                    SampleLane.ENDED, SampleLane.CANCELLED -> retire(null)
                    SampleLane.FAILED -> retire(lane.failure)
                    else -> {
                        (map ?: LinkedHashMap<Int, AudioChunk>().also { map = it })[lane.index] = chunk
                        gave[gaveCount++] = lane.index
                    }
                }
            }
            polls += toPollCount
            val polled = toPoll
            toPoll = gave
            gave = polled
            toPollCount = gaveCount
            map?.let { return it }
            failure?.let { throw it }
            if (liveCount == 0) return null
            awaitSignal(timeout, "the batch") { select { ready.signal.onReceive {} } }
        }
    }

    private fun retire(cause: Throwable?) {
        liveCount--
        if (failure == null) failure = cause
    }
}

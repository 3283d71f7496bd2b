package dev.sluice.audio.internal

import dev.sluice.audio.AudioChunk
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.selects.select
import kotlin.time.Duration

/**
 * Reads a whole batch: each [next] returns one map with the oldest chunk of every sample that has
 * one, waiting in `select` on the samples' signals while none has. Taking one chunk from every
 * ready sample per map makes it fair: a flooding sample cannot starve a trickling one. A sample
 * that was cancelled (by the producer side's `cancel`) leaves the batch quietly; the others go on.
 */
internal class BatchCursor(
    private val lanes: List<SampleLane>,
) {
    private val live = BooleanArray(lanes.size) { true }
    private var liveCount = lanes.size
    private var failure: Throwable? = null

    /**
     * The next map, or null once every sample has ended. Throws the producer's cause after a
     * failure, and [dev.sluice.audio.AudioStreamTimeoutException] when a wait outlasts [timeout].
     */
    suspend fun next(timeout: Duration?): Map<Int, AudioChunk>? {
        while (true) {
            currentCoroutineContext().ensureActive()
            var map: MutableMap<Int, AudioChunk>? = null
            for (lane in lanes) {
                if (!live[lane.index]) continue
                when (val chunk = lane.poll()) {
                    null -> {}
                    SampleLane.ENDED, SampleLane.CANCELLED -> retire(lane.index, null)
                    SampleLane.FAILED -> retire(lane.index, lane.failure)
                    else -> (map ?: LinkedHashMap<Int, AudioChunk>().also { map = it })[lane.index] = chunk
                }
            }
            map?.let { return it }
            failure?.let { throw it }
            if (liveCount == 0) return null
            awaitSignal(timeout, "the batch") {
                select {
                    for (lane in lanes) if (live[lane.index]) lane.onData(this)
                }
            }
        }
    }

    private fun retire(
        index: Int,
        cause: Throwable?,
    ) {
        live[index] = false
        liveCount--
        if (failure == null) failure = cause
    }
}

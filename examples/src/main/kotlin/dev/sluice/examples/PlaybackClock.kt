package dev.sluice.examples

/**
 * A simulated real-time player: it starts playing when the first frame arrives and then needs one
 * frame every [frameMillis]. A frame that arrives after its deadline is an underrun: playback
 * stalls until it comes, and the deadlines of later frames move by the stall.
 */
internal class PlaybackClock(
    private val frameMillis: Double,
) {
    private var startNanos = -1L
    private var stallNanos = 0L

    var underruns: Int = 0
        private set

    var framesPlayed: Int = 0
        private set

    /** When playback started, in [System.nanoTime] terms, or -1. */
    val startedAt: Long get() = startNanos

    /** The deadline of frame [index], in [System.nanoTime] terms (after the first frame arrived). */
    fun deadline(index: Long): Long = startNanos + stallNanos + (index * frameMillis * 1_000_000).toLong()

    /** Records that frame [index] arrived at [nowNanos]. */
    fun arrive(
        index: Long,
        nowNanos: Long,
    ) {
        if (startNanos < 0) startNanos = nowNanos
        val due = deadline(index)
        if (nowNanos > due) {
            underruns++
            stallNanos += nowNanos - due
        }
        framesPlayed++
    }
}

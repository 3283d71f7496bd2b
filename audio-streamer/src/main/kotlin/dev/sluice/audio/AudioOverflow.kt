package dev.sluice.audio

import kotlin.jvm.JvmField

/**
 * What a producer's put does when a sample already holds `capacity` chunks: one of [WAIT],
 * [DROP_OLDEST] and [FAIL]. (A class with three constants rather than an enum, so that every
 * public symbol carries documentation.)
 */
public class AudioOverflow private constructor(
    private val name: String,
) {
    /** The constant's name: `WAIT`, `DROP_OLDEST` or `FAIL`. */
    override fun toString(): String = name

    /** The three choices. */
    public companion object {
        /** The producer waits until the consumer takes a chunk: a thread blocks, a coroutine suspends. Backpressure. */
        @JvmField
        public val WAIT: AudioOverflow = AudioOverflow("WAIT")

        /** The oldest queued chunk is dropped (and counted) to make room: for live playback. */
        @JvmField
        public val DROP_OLDEST: AudioOverflow = AudioOverflow("DROP_OLDEST")

        /** The call throws [AudioStreamOverflowException] and enqueues nothing. */
        @JvmField
        public val FAIL: AudioOverflow = AudioOverflow("FAIL")
    }
}

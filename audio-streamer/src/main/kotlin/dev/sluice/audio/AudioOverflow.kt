package dev.sluice.audio

/**
 * What a producer's put does when a sample already holds `capacity` chunks, as kotlinx's
 * `BufferOverflow` says it for a channel.
 */
public enum class AudioOverflow {
    /** The producer waits until the consumer takes a chunk: a thread blocks, a coroutine suspends. Backpressure. */
    WAIT,

    /** The oldest queued chunk is dropped (and counted) to make room: for live playback. */
    DROP_OLDEST,

    /** The call throws [AudioStreamOverflowException] and enqueues nothing. */
    FAIL,
}

package dev.sluice.audio

/**
 * Thrown to a consumer that waited longer than the streamer's timeout for its next chunk. It is not
 * a cancellation: catching it does not interfere with the coroutine machinery. The consumer that
 * gets it has stopped, so its samples count as cancelled.
 */
public class AudioStreamTimeoutException(
    message: String,
) : RuntimeException(message)

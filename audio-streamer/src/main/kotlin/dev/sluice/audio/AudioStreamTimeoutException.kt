package dev.sluice.audio

/**
 * Thrown to a consumer that waited longer than the streamer's timeout for its next chunk. It is not
 * a cancellation: catching it does not interfere with the coroutine machinery. A Flow, an iterator
 * or a Java adapter that throws it has stopped, so its samples are cancelled; after
 * [SampleReceiver.receive] the sample stays open, and the caller may try again.
 */
public class AudioStreamTimeoutException(
    message: String,
) : RuntimeException(message)

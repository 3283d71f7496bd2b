package dev.sluice.audio

/** Thrown by a put with [AudioOverflow.FAIL] when a sample is full. Nothing of that put was enqueued. */
public class AudioStreamOverflowException(
    message: String,
) : IllegalStateException(message)

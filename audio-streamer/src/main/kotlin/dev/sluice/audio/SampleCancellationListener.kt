package dev.sluice.audio

/**
 * Learns that the consumer of a sample stopped, so the producer can stop generating it. Called on
 * the thread that cancelled, exactly once per cancelled sample; it should be quick.
 *
 * A listener that throws does not break the engine: the sample is cancelled all the same, every
 * other listener is still called, and the exception goes to the calling thread's uncaught
 * exception handler, never to the consumer that cancelled.
 */
public fun interface SampleCancellationListener {
    /** The consumer of [sampleIndex] is gone; later chunks for it are dropped. */
    public fun onCancelled(sampleIndex: Int)
}

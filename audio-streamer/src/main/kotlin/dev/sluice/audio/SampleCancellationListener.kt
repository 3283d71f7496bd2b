package dev.sluice.audio

/**
 * Learns that the consumer of a sample stopped, so the producer can stop generating it. Called on
 * the thread that cancelled, once per sample; it must be quick and must not throw.
 */
public fun interface SampleCancellationListener {
    /** The consumer of [sampleIndex] is gone; later chunks for it are dropped. */
    public fun onCancelled(sampleIndex: Int)
}

package dev.sluice.buffer

/**
 * Decides how a stream is cut into chunks: how many new items each chunk takes, and how many
 * already-delivered items it repeats in front of them as context.
 *
 * A policy is an immutable value. It keeps no per-stream state, so one instance may serve any
 * number of [StreamBuffer]s and re-framers on any number of threads; the buffer keeps the state.
 * Both functions must be pure: the same arguments always give the same answer.
 *
 * **A bad answer changes nothing.** A buffer asks its policy about chunk `k` only after chunk
 * `k - 1` was delivered, and checks the answer before it commits anything. A policy that throws,
 * or answers out of range (fewer than 1 new item, a negative context, or more context than was
 * delivered), makes the call that asked fail with [IllegalStateException] naming the policy and
 * the chunk; the chunks before it were delivered whole, and the items after it stay in the buffer.
 *
 * The built-in policies are [FixedChunkPolicy], [LeftContextChunkPolicy], [SlidingWindowChunkPolicy]
 * and [RampChunkPolicy]. A custom policy implements this interface the same way; the one difference
 * is speed: a [FixedChunkPolicy], whose answer never changes, is asked once, not for every chunk.
 *
 * @sample dev.sluice.buffer.samples.customPolicySample
 */
public interface ChunkPolicy {
    /**
     * The number of new items chunk [index] takes when [delivered] items were delivered by the
     * chunks before it. Must be at least 1. At the end of the stream the last chunk may hold fewer
     * (see [StreamBuffer]). [index] is a `Long`: a stream of 10 ms frames passes 2^31 chunks after
     * about 248 days, and a policy must keep answering.
     */
    public fun newItems(
        index: Long,
        delivered: Long,
    ): Int

    /**
     * The number of already-delivered items chunk [index] repeats in front of its new items,
     * when [delivered] items were delivered before it. Must be between 0 and [delivered].
     */
    public fun contextSize(
        index: Long,
        delivered: Long,
    ): Int

    /**
     * Whether the consumer keeps running after the producer is done. When true, the remainder is
     * flushed with `isFinal = false`, and from then on every pop returns an empty, non-final
     * chunk: the consumer decides when it is done. False by default.
     */
    public val continueAfterDone: Boolean
        get() = false
}

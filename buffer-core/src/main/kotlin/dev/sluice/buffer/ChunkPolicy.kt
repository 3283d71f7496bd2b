package dev.sluice.buffer

/**
 * Decides how a stream is cut into chunks: how many new items each chunk takes, and how many
 * already-delivered items it repeats in front of them as context.
 *
 * A policy is an immutable value. It keeps no per-stream state, so one instance may serve any
 * number of [StreamBuffer]s and re-framers on any number of threads; the buffer keeps the state.
 * Both functions must be pure: the same arguments always give the same answer.
 *
 * The built-in policies are [FixedChunkPolicy], [LeftContextChunkPolicy],
 * [SlidingWindowChunkPolicy] and [RampChunkPolicy]. They are not special: a custom policy
 * implements this interface the same way.
 *
 * @sample dev.sluice.buffer.samples.customPolicySample
 */
public interface ChunkPolicy {
    /**
     * The number of new items chunk [chunkIndex] takes when [delivered] items were delivered by
     * the chunks before it. Must be at least 1. At the end of the stream the last chunk may hold
     * fewer (see [StreamBuffer]).
     */
    public fun newItems(
        chunkIndex: Int,
        delivered: Long,
    ): Int

    /**
     * The number of already-delivered items chunk [chunkIndex] repeats in front of its new items,
     * when [delivered] items were delivered before it. Must be between 0 and [delivered].
     */
    public fun contextSize(
        chunkIndex: Int,
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

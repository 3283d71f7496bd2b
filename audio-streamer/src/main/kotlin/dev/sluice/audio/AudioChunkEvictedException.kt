package dev.sluice.audio

/**
 * Thrown to a client that resumes an [AudioReplay] at a chunk the replay window no longer holds:
 * the chunks from [requestedIndex] on cannot all be delivered, so none are, rather than skipping
 * some silently.
 */
public class AudioChunkEvictedException(
    /** The sample that was asked for. */
    public val sampleIndex: Int,
    /** The chunk index the client asked to resume at. */
    public val requestedIndex: Long,
    /** The index of the last chunk evicted: resuming needs an index above it. */
    public val lastEvictedIndex: Long,
) : IllegalStateException(
        "sample $sampleIndex: chunk $requestedIndex was evicted from the replay window " +
            "(chunks up to $lastEvictedIndex are gone; resume at ${lastEvictedIndex + 1} or later)",
    )

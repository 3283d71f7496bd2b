package dev.sluice.grpc

import kotlinx.coroutines.CancellationException

/** The base of every error an edge ends with, on either side. The stream never ends in a final chunk then. */
public open class EdgeException(
    /** The edge that failed. */
    public val key: EdgeKey,
    message: String,
    cause: Throwable? = null,
) : RuntimeException("edge $key: $message", cause)

/** The producer and the consumer disagree about the stream: a gap in the sequence, a bad frame, an item the codec cannot read. */
public class EdgeProtocolException(
    key: EdgeKey,
    message: String,
    cause: Throwable? = null,
) : EdgeException(key, message, cause)

/** A different producer (a new epoch: it restarted) opened an edge that another producer had started. */
public class EdgeEpochException(
    key: EdgeKey,
    /** The epoch the consumer had seen. */
    public val expected: Long,
    /** The epoch that came. */
    public val actual: Long,
) : EdgeException(key, "the producer restarted (epoch $actual, was $expected): the items sent before are lost")

/** The producer said it was done with [declared] items, but [delivered] arrived (or are registered). */
public class EdgeCountMismatchException(
    key: EdgeKey,
    /** The count the producer's done carried. */
    public val declared: Long,
    /** The items the consumer saw, plus those still registered. */
    public val delivered: Long,
) : EdgeException(key, "the producer declared $declared items, but $delivered were delivered or registered")

/** The producer failed the edge; [remoteMessage] is what it said. */
public class EdgeFailedException(
    key: EdgeKey,
    /** The producer's message. */
    public val remoteMessage: String,
) : EdgeException(key, "the producer failed: $remoteMessage")

/** The other side could not be reached again within the resume window. */
public class EdgeDisconnectedException(
    key: EdgeKey,
    message: String,
    cause: Throwable? = null,
) : EdgeException(key, message, cause)

/**
 * The edge was cancelled, by the other side or by this one: a [CancellationException], so a
 * coroutine that lets it propagate is quietly cancelled.
 */
public class EdgeCancelledException(
    /** The edge that was cancelled. */
    public val key: EdgeKey,
    /** Why, as the canceller said. */
    public val reason: String,
) : CancellationException("edge $key was cancelled: $reason")

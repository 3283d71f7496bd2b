package dev.sluice.buffer

import dev.sluice.buffer.internal.ChunkCursor
import dev.sluice.buffer.internal.IdList
import dev.sluice.buffer.internal.IdWindow
import dev.sluice.buffer.internal.SlotSegments
import dev.sluice.buffer.internal.SnapshotList
import dev.sluice.buffer.internal.describeId
import kotlin.jvm.JvmOverloads

/**
 * Cuts one stream of items into [StreamChunk]s as [policy] says, for one edge of one request.
 *
 * **Arrival.** Items arrive one at a time, possibly out of order. [preReadRegister] reserves the
 * next slot for an id before its data arrives; [put] fills it. An id that was not registered takes
 * the next slot when it arrives, and [append] takes the next slot with no id. Items become
 * available strictly in slot order: a registered id that has not arrived holds back everything
 * after it.
 *
 * **Chunks.** Chunk `k` is ready when the available, undelivered items number at least the policy's
 * new-item count for it; it then takes exactly that many, plus its context.
 *
 * **End of stream.** The stream ends when [signalDone] was called and every registered id has
 * arrived. Then, after the full chunks that are still ready, either one last chunk holds its
 * context plus all remaining items, or, when nothing remains and no chunk was final yet, an empty
 * final chunk follows (`items` empty, `contextSize = 0`, `startOffset` = the item count). A chunk
 * popped when the stream has already ended and nothing remains after it is final itself. Exactly
 * one chunk of every stream is final (none with [ChunkPolicy.continueAfterDone]).
 *
 * **Errors.** Every misuse throws an exception whose message names [requestId], [edgeName],
 * [fromPartition] and the id (with its type, so that `1` and `1L` are told apart), and leaves the
 * buffer unchanged. A policy that answers badly fails the call that asked it, with nothing lost
 * (see [ChunkPolicy]).
 *
 * **Duplicate ids** are rejected within a bounded window: an id still pending (registered, not
 * arrived) and any of the last [ID_HISTORY] ids that arrived. An id older than that is forgotten,
 * and putting it again counts as a new, unregistered id.
 *
 * **Memory and cost.** The buffer keeps only the undelivered items plus the context the next chunk
 * repeats ([retainedCount]), the pending ids, and at most [ID_HISTORY] recent ids. Items are stored
 * in append-only segments of 1024 slots, and the buffer holds only the segments its retained items
 * are in: at most one segment more than those items need. A chunk's [StreamChunk.items] is a
 * read-only view on a segment, not a copy (a chunk that straddles two segments is copied); a chunk
 * the consumer keeps keeps its segment alive, which is the consumer's memory, not the buffer's. Put
 * and pop cost O(1) amortised per item.
 *
 * **Threads.** A buffer is not thread-safe: confine it to one thread or guard it with a lock.
 *
 * @param T the item type. Items may be null.
 * @sample dev.sluice.buffer.samples.streamBufferSample
 */
public class StreamBuffer<T>(
    /** The request this stream belongs to; named in error messages. */
    public val requestId: String,
    /** The pipeline edge this stream flows over; named in error messages. */
    public val edgeName: String,
    /** The partition the items come from; named in error messages. */
    public val fromPartition: Int,
    /** How the stream is cut into chunks. */
    public val policy: ChunkPolicy,
) {
    /**
     * A buffer with default labels (request `"stream"`, edge `"local"`, partition 0), for a stream
     * that is not one edge of a pipeline, such as a Flow operator's.
     */
    public constructor(policy: ChunkPolicy) : this(DEFAULT_REQUEST_ID, DEFAULT_EDGE_NAME, 0, policy)

    private val ring = SlotSegments()
    private val cursor = ChunkCursor(policy)
    private val pending = LinkedHashMap<Any, Long>()
    private val arrived = IdWindow(ID_HISTORY)
    private val requeued = ArrayDeque<StreamChunk<T>>()
    private val token = Any()
    private var arrivedEnd = 0L

    /** True once [signalDone] was called. */
    public var isProducerDone: Boolean = false
        private set

    /** True once the final chunk was popped (and not handed back with [requeue]). */
    public val isFinished: Boolean get() = cursor.finalDelivered && requeued.isEmpty()

    /**
     * The registered ids whose items have not arrived yet, in slot order. A snapshot; its
     * `toString` shows each id with its type.
     */
    public val pendingIds: List<Any> get() = IdList(pending.keys.toList())

    /** The number of items the buffer still holds: the undelivered ones plus the next chunk's context. */
    public val retainedCount: Int get() = ring.size - pending.size

    /** The number of arrived ids remembered to reject duplicates: at most [ID_HISTORY]. */
    internal val rememberedIds: Int get() = arrived.size

    /**
     * Reserves the next slot for [id] before its data arrives. Everything after the slot waits
     * until [put] fills it, and the stream cannot end while it is empty.
     *
     * @throws IllegalArgumentException if [id] is pending, or is one of the last [ID_HISTORY] ids
     *   that arrived.
     * @throws IllegalStateException after [signalDone].
     */
    public fun preReadRegister(id: Any) {
        check(!isProducerDone) { message("cannot register id ${describeId(id)} after signalDone()") }
        require(id !in pending && id !in arrived) { message("id ${describeId(id)} was already registered or put") }
        pending[id] = ring.add(PENDING)
    }

    /**
     * Delivers the item of [id]. A registered id fills its reserved slot, even after [signalDone];
     * an unregistered id takes the next slot.
     *
     * @throws IllegalArgumentException if [id] is one of the last [ID_HISTORY] ids that arrived.
     * @throws IllegalStateException if [id] was not registered and [signalDone] was called.
     */
    public fun put(
        id: Any,
        item: T,
    ) {
        val slot = pending.remove(id)
        if (slot != null) {
            ring[slot] = item
            arrived.add(id)
            advanceArrived()
            return
        }
        require(id !in arrived) { message("id ${describeId(id)} was already put") }
        check(!isProducerDone) {
            message("cannot put unregistered id ${describeId(id)} after signalDone(); pending ids: $pendingIds")
        }
        arrived.add(id)
        ring.add(item)
        advanceArrived()
    }

    /**
     * Delivers [item] into the next slot, with no id.
     *
     * @throws IllegalStateException after [signalDone].
     */
    public fun append(item: T) {
        check(!isProducerDone) { message("cannot append (no id) after signalDone()") }
        ring.add(item)
        advanceArrived()
    }

    /**
     * Delivers [items] into the next slots, in order, with no ids: a block (a decoded token block,
     * a codec frame of several codebooks) costs one check and one bulk copy, not one call per item.
     * The items become visible together, as if appended one by one with no pop in between.
     *
     * @throws IllegalStateException after [signalDone]; nothing is appended.
     */
    public fun appendAll(items: Collection<T>) {
        check(!isProducerDone) { message("cannot append (no id) after signalDone()") }
        if (items.isEmpty()) return
        ring.addAll(items)
        advanceArrived()
    }

    /**
     * Delivers `items[offset until offset + length]` into the next slots, in order, with no ids,
     * with one bulk copy (see the [Collection] overload).
     *
     * @throws IllegalArgumentException if the range lies outside [items]; nothing is appended.
     * @throws IllegalStateException after [signalDone]; nothing is appended.
     */
    @JvmOverloads
    public fun appendAll(
        items: Array<out T>,
        offset: Int = 0,
        length: Int = items.size - offset,
    ) {
        require(offset >= 0 && offset <= items.size) { message("offset must be in 0..${items.size}, was $offset") }
        require(length >= 0 && length <= items.size - offset) {
            message("length must be in 0..${items.size - offset} (the items from offset $offset), was $length")
        }
        check(!isProducerDone) { message("cannot append (no id) after signalDone()") }
        if (length == 0) return
        ring.addAll(items, offset, offset + length)
        advanceArrived()
    }

    /**
     * Says that the producer will register, append and put no new ids. Registered ids may still
     * arrive; the stream ends when the last of them does. Calling it again has no effect.
     */
    public fun signalDone() {
        isProducerDone = true
    }

    /**
     * Whether [popChunk] would return a chunk now. It changes nothing.
     *
     * @throws IllegalStateException if the policy answers badly about the next chunk.
     */
    public fun hasChunkReady(): Boolean = requeued.isNotEmpty() || nextReadyCount() >= 0

    /**
     * Removes and returns the next chunk.
     *
     * @throws NoSuchElementException if no chunk is ready ([hasChunkReady] is false); nothing
     *   changes.
     * @throws IllegalStateException if the policy answers badly about the next chunk; nothing
     *   changes.
     */
    public fun popChunk(): StreamChunk<T> =
        pollChunk() ?: throw NoSuchElementException(
            message(
                "no chunk is ready: chunk ${cursor.chunkIndex} needs ${cursor.nextNew} new items, " +
                    "${arrivedEnd - cursor.delivered} available, producer done=$isProducerDone, pending ids=$pendingIds",
            ),
        )

    /**
     * Removes and returns the next chunk, or returns null if none is ready.
     *
     * @throws IllegalStateException if the policy answers badly about the next chunk; nothing
     *   changes.
     */
    public fun pollChunk(): StreamChunk<T>? {
        requeued.removeFirstOrNull()?.let { return it }
        val newCount = nextReadyCount()
        if (newCount < 0) return null
        val available = arrivedEnd - cursor.delivered
        val context = cursor.contextFor(newCount)
        val start = cursor.delivered - context
        val size = context + newCount
        val items: SnapshotList<T> = if (size == 0) SnapshotList.empty() else ring.view(start, size)
        val isFinal = cursor.isFinal(newCount, available, isEnded)
        val chunk = StreamChunk.trusted(items, cursor.chunkIndex, start, context, isFinal, token)
        cursor.advance(newCount, isFinal)
        ring.dropBefore(cursor.keepFrom)
        return chunk
    }

    /**
     * Calls [action] with every chunk that is ready now, in order, and stops when none is. It never
     * takes the endless empty chunks of a [ChunkPolicy.continueAfterDone] policy after the stream
     * ended and was flushed, so it always returns. This is the loop every consumer would otherwise
     * write: `while (hasChunkReady()) action(popChunk())`.
     *
     * @throws IllegalStateException if the policy answers badly; the chunks before were delivered.
     */
    public inline fun forEachReady(action: (StreamChunk<T>) -> Unit) {
        while (true) action(pollUnlessDrained() ?: return)
    }

    /** The next chunk, or null if none is ready or only endless empty continuation chunks remain. */
    @PublishedApi
    internal fun pollUnlessDrained(): StreamChunk<T>? {
        if (requeued.isEmpty() && cursor.isDrained(arrivedEnd - cursor.delivered, isEnded)) return null
        return pollChunk()
    }

    /**
     * Hands back [chunk], popped from this buffer, that the consumer could not take. Requeued
     * chunks come out again first, in the order they were requeued.
     *
     * @throws IllegalArgumentException if [chunk] was not popped from this buffer (made by hand,
     *   or popped from another buffer), or is already requeued. Nothing changes.
     */
    public fun requeue(chunk: StreamChunk<T>) {
        require(chunk.origin === token) {
            message("cannot requeue chunk ${chunk.index}: it was not popped from this buffer")
        }
        require(requeued.none { it === chunk || it.index == chunk.index }) {
            message("chunk ${chunk.index} is already requeued")
        }
        requeued.addLast(chunk)
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "StreamBuffer(requestId=$requestId, edgeName=$edgeName, fromPartition=$fromPartition, policy=$policy, " +
            "nextChunk=${cursor.chunkIndex}, delivered=${cursor.delivered}, arrived=$arrivedEnd, " +
            "pending=$pendingIds, done=$isProducerDone, finished=$isFinished)"

    private val isEnded: Boolean get() = isProducerDone && pending.isEmpty()

    private fun nextReadyCount(): Int = cursor.readyCount(arrivedEnd - cursor.delivered, isEnded)

    private fun advanceArrived() {
        if (pending.isEmpty()) {
            arrivedEnd = ring.end
        } else {
            while (arrivedEnd < ring.end && ring[arrivedEnd] !== PENDING) arrivedEnd++
        }
    }

    /** The storage segments the buffer holds now; for tests of the storage bound. */
    internal val storedSegments: Int get() = ring.segmentCount

    private fun message(what: String): String = "request '$requestId', edge '$edgeName', partition $fromPartition: $what"

    private object PENDING

    /** Constants of every buffer. */
    public companion object {
        /** How many of the most recent arrived ids a buffer remembers to reject duplicates. */
        public const val ID_HISTORY: Int = 4096

        /** The [requestId] of a buffer made with the policy-only constructor. */
        public const val DEFAULT_REQUEST_ID: String = "stream"

        /** The [edgeName] of a buffer made with the policy-only constructor. */
        public const val DEFAULT_EDGE_NAME: String = "local"
    }
}

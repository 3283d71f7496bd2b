package dev.sluice.buffer

import dev.sluice.buffer.internal.ChunkCursor
import dev.sluice.buffer.internal.SlotRing
import dev.sluice.buffer.internal.SnapshotList

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
 * [fromPartition] and the id, and leaves the buffer unchanged.
 *
 * **Memory and cost.** The buffer keeps only the undelivered items plus the context the next chunk
 * repeats ([retainedCount]), and the ids it has seen, to reject duplicates. Put and pop cost O(1)
 * amortised per item.
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
    private val ring = SlotRing()
    private val cursor = ChunkCursor(policy)
    private val pending = LinkedHashMap<Any, Long>()
    private val seen = HashSet<Any>()
    private val requeued = ArrayDeque<StreamChunk<T>>()
    private var arrivedEnd = 0L

    /** True once [signalDone] was called. */
    public var isProducerDone: Boolean = false
        private set

    /** True once the final chunk was popped (and not handed back with [requeue]). */
    public val isFinished: Boolean get() = cursor.finalDelivered && requeued.isEmpty()

    /** The registered ids whose items have not arrived yet, in slot order. A snapshot. */
    public val pendingIds: List<Any> get() = pending.keys.toList()

    /** The number of items the buffer still holds: the undelivered ones plus the next chunk's context. */
    public val retainedCount: Int get() = ring.size - pending.size

    /**
     * Reserves the next slot for [id] before its data arrives. Everything after the slot waits
     * until [put] fills it, and the stream cannot end while it is empty.
     *
     * @throws IllegalArgumentException if [id] was registered or put before.
     * @throws IllegalStateException after [signalDone].
     */
    public fun preReadRegister(id: Any) {
        check(!isProducerDone) { message("cannot register id ${quote(id)} after signalDone()") }
        require(id !in seen) { message("id ${quote(id)} was already registered or put") }
        seen.add(id)
        pending[id] = ring.add(PENDING)
    }

    /**
     * Delivers the item of [id]. A registered id fills its reserved slot, even after [signalDone];
     * an unregistered id takes the next slot.
     *
     * @throws IllegalArgumentException if the item of [id] was put before.
     * @throws IllegalStateException if [id] was not registered and [signalDone] was called.
     */
    public fun put(
        id: Any,
        item: T,
    ) {
        val slot = pending.remove(id)
        if (slot != null) {
            ring[slot] = item
            advanceArrived()
            return
        }
        require(id !in seen) { message("id ${quote(id)} was already put") }
        check(!isProducerDone) { message("cannot put unregistered id ${quote(id)} after signalDone()") }
        seen.add(id)
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
     * Says that the producer will register, append and put no new ids. Registered ids may still
     * arrive; the stream ends when the last of them does. Calling it again has no effect.
     */
    public fun signalDone() {
        isProducerDone = true
    }

    /** Whether [popChunk] would return a chunk now. It changes nothing. */
    public fun hasChunkReady(): Boolean = requeued.isNotEmpty() || nextReadyCount() >= 0

    /**
     * Removes and returns the next chunk.
     *
     * @throws NoSuchElementException if no chunk is ready ([hasChunkReady] is false); nothing
     *   changes.
     */
    public fun popChunk(): StreamChunk<T> =
        pollChunk() ?: throw NoSuchElementException(
            message(
                "no chunk is ready: chunk ${cursor.chunkIndex} needs ${cursor.nextNew} new items, " +
                    "${arrivedEnd - cursor.delivered} available, producer done=$isProducerDone, pending ids=${pending.keys}",
            ),
        )

    /** Removes and returns the next chunk, or returns null if none is ready. */
    public fun pollChunk(): StreamChunk<T>? {
        requeued.removeFirstOrNull()?.let { return it }
        val newCount = nextReadyCount()
        if (newCount < 0) return null
        val available = arrivedEnd - cursor.delivered
        val context = cursor.contextFor(newCount)
        val start = cursor.delivered - context
        val size = context + newCount
        val items: SnapshotList<T> = if (size == 0) SnapshotList.empty() else SnapshotList(ring.copyOut(start, size))
        val isFinal = cursor.isFinal(newCount, available, isEnded)
        val chunk = StreamChunk.trusted(items, cursor.chunkIndex, start, context, isFinal)
        cursor.advance(newCount, isFinal)
        ring.dropBefore(cursor.delivered - cursor.nextContext)
        return chunk
    }

    /**
     * Hands back [chunk], popped from this buffer, that the consumer could not take. Requeued
     * chunks come out again first, in the order they were requeued.
     *
     * @throws IllegalArgumentException if [chunk] was not popped yet, or is already requeued.
     */
    public fun requeue(chunk: StreamChunk<T>) {
        require(chunk.chunkIndex < cursor.chunkIndex) {
            message("cannot requeue chunk ${chunk.chunkIndex}: only chunks before ${cursor.chunkIndex} were popped")
        }
        require(requeued.none { it.chunkIndex == chunk.chunkIndex }) {
            message("chunk ${chunk.chunkIndex} is already requeued")
        }
        requeued.addLast(chunk)
    }

    /** A description for logs and debugging; its format may change. */
    override fun toString(): String =
        "StreamBuffer(requestId=$requestId, edgeName=$edgeName, fromPartition=$fromPartition, policy=$policy, " +
            "nextChunk=${cursor.chunkIndex}, delivered=${cursor.delivered}, arrived=$arrivedEnd, " +
            "pending=${pending.size}, done=$isProducerDone, finished=$isFinished)"

    private val isEnded: Boolean get() = isProducerDone && pending.isEmpty()

    private fun nextReadyCount(): Int {
        val available = arrivedEnd - cursor.delivered
        // The common case first: a full chunk is ready, whatever the end of the stream.
        if (available >= cursor.nextNew && !cursor.finalDelivered) return cursor.nextNew
        return cursor.readyCount(available, isEnded)
    }

    private fun advanceArrived() {
        if (pending.isEmpty()) {
            arrivedEnd = ring.end
        } else {
            while (arrivedEnd < ring.end && ring[arrivedEnd] !== PENDING) arrivedEnd++
        }
    }

    private fun message(what: String): String = "request '$requestId', edge '$edgeName', partition $fromPartition: $what"

    private fun quote(id: Any): String = "'$id'"

    private object PENDING
}

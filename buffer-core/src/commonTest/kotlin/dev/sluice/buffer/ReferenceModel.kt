package dev.sluice.buffer

/**
 * A deliberately naive model of DESIGN.md's chunk rules: a plain list of slots, recomputed from
 * scratch on every pop. The property tests compare [StreamBuffer] with it.
 */
class ReferenceModel<T>(
    private val policy: ChunkPolicy,
) {
    private object Pending

    private val slots = mutableListOf<Any?>()
    private val slotOf = mutableMapOf<Any, Int>()
    private var done = false
    private var chunkIndex = 0L
    private var delivered = 0
    private var finalPopped = false

    fun register(id: Any) {
        slots.add(Pending)
        slotOf[id] = slots.lastIndex
    }

    fun put(
        id: Any,
        item: T,
    ) {
        val slot = slotOf[id]
        if (slot != null && slots[slot] === Pending) {
            slots[slot] = item
        } else {
            slots.add(item)
            slotOf[id] = slots.lastIndex
        }
    }

    fun append(item: T) {
        slots.add(item)
    }

    fun signalDone() {
        done = true
    }

    private fun arrivedPrefix(): Int = slots.indexOfFirst { it === Pending }.let { if (it < 0) slots.size else it }

    private fun ended(): Boolean = done && slots.none { it === Pending }

    @Suppress("UNCHECKED_CAST")
    fun pop(): StreamChunk<T>? {
        if (finalPopped) return null
        val available = arrivedPrefix() - delivered
        val need = policy.newItems(chunkIndex, delivered.toLong())
        val newCount =
            when {
                available >= need -> need
                ended() -> available
                else -> return null
            }
        val context = if (newCount == 0) 0 else policy.contextSize(chunkIndex, delivered.toLong())
        val items = slots.subList(delivered - context, delivered + newCount).map { it as T }
        val isFinal = ended() && !policy.continueAfterDone && newCount == available
        val chunk = StreamChunk(items, chunkIndex, (delivered - context).toLong(), context, isFinal)
        chunkIndex++
        delivered += newCount
        finalPopped = isFinal
        return chunk
    }
}

/** Pops every ready chunk of [buffer] into [out]. */
fun <T> drain(
    buffer: StreamBuffer<T>,
    out: MutableList<StreamChunk<T>>,
) {
    while (buffer.hasChunkReady()) {
        if (buffer.isFinished) return
        out.add(buffer.popChunk())
    }
}

/** Feeds 0 until [n] through a new buffer, popping after every append (eager) or only after done (lazy). */
fun runStream(
    policy: ChunkPolicy,
    n: Int,
    eager: Boolean,
): List<StreamChunk<Int>> {
    val buffer = StreamBuffer<Int>("req", "edge", 0, policy)
    val out = mutableListOf<StreamChunk<Int>>()
    for (i in 0 until n) {
        buffer.append(i)
        if (eager) drain(buffer, out)
    }
    buffer.signalDone()
    drain(buffer, out)
    check(buffer.isFinished) { "stream of $n items through $policy did not finish: $buffer" }
    check(!buffer.hasChunkReady()) { "a chunk is still ready after the final one: $buffer" }
    return out
}

/** Checks DESIGN.md's invariant and rules on [chunks] of the stream `0 until n`; returns a failure or null. */
fun invariantViolation(
    chunks: List<StreamChunk<Int>>,
    n: Int,
): String? {
    val stream = (0 until n).toList()
    val news = chunks.flatMap { it.newItems }
    if (news != stream) return "concatenated newItems $news != stream of $n"
    if (chunks.count { it.isFinal } != 1) return "final chunks: ${chunks.count { it.isFinal }}"
    if (!chunks.last().isFinal) return "the last chunk is not final"
    chunks.forEachIndexed { k, c ->
        if (c.index != k.toLong()) return "chunk $k has index ${c.index}"
        val isMarker = c.isFinal && c.items.isEmpty() && c.contextSize == 0 && c.startOffset == n.toLong()
        if (c.newItems.isEmpty() && !isMarker) return "chunk $k has no new items and is not the empty final marker: $c"
        val expected = stream.subList(c.startOffset.toInt(), c.startOffset.toInt() + c.items.size)
        if (c.items != expected) return "chunk $k items ${c.items} != stream slice $expected"
    }
    return null
}

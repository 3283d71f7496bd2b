package dev.sluice.buffer.internal

/**
 * The ids a buffer remembers to reject duplicates: the last [capacity] ids that arrived, in a
 * ring, with a hash set for look-ups. Older ids are forgotten, so the memory of a stream of any
 * length is bounded by [capacity].
 */
internal class IdWindow(
    private val capacity: Int,
) {
    private val ring = arrayOfNulls<Any>(capacity)
    private val set = HashSet<Any>()
    private var next = 0

    /** The number of ids remembered now; at most [capacity]. */
    val size: Int get() = set.size

    operator fun contains(id: Any): Boolean = id in set

    /** Remembers [id], forgetting the oldest one when full. */
    fun add(id: Any) {
        ring[next]?.let { set.remove(it) }
        ring[next] = id
        set.add(id)
        next = if (next == capacity - 1) 0 else next + 1
    }
}

/** Describes [id] with its type, so that `1` and `1L` are told apart in messages. */
internal fun describeId(id: Any): String = "'$id' (${id::class.simpleName})"

/** A read-only snapshot of ids whose [toString] shows each id's type. */
internal class IdList(
    private val ids: List<Any>,
) : AbstractList<Any>() {
    override val size: Int get() = ids.size

    override fun get(index: Int): Any = ids[index]

    override fun toString(): String = ids.joinToString(prefix = "[", postfix = "]", transform = ::describeId)
}

package dev.sluice.buffer.internal

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.PcmFrame

/**
 * The bookkeeping of a PCM re-framer, independent of the sample type: where the retained samples
 * sit in the storage array, which frame comes next, and when the storage must be compacted or
 * grown. It writes each frame's record straight into the owner's [PcmFrame]; the owner holds the
 * array and does the copies, through [move], [resize] and [zero]: the only code that differs
 * between sample types.
 *
 * Positions in the storage are in values; the policy counts sample frames of [channels] values.
 */
internal class ReframeCore(
    policy: ChunkPolicy,
    private val channels: Int,
    /** The size of the owner's array; [ensureRoom] keeps it up to date when it calls [resize]. */
    private var capacity: Int,
    private val move: Move,
    private val resize: Resize,
    private val zero: Zero,
) {
    // Interfaces with Int parameters, not function types: a `(Int, Int) -> Unit` boxes its
    // arguments on every call, which the re-framers' allocation tests would see.

    /** Copies `count` values of the owner's array from index `from` to index `to`. */
    fun interface Move {
        operator fun invoke(
            from: Int,
            to: Int,
            count: Int,
        )
    }

    /** Replaces the owner's array by one of `capacity` values that starts with all of the old one's. */
    fun interface Resize {
        operator fun invoke(capacity: Int)
    }

    /** Sets `count` values of the owner's array, from index `from`, to zero. */
    fun interface Zero {
        operator fun invoke(
            from: Int,
            count: Int,
        )
    }

    init {
        require(channels >= 1) { "channels must be >= 1, was $channels" }
    }

    private val cursor = ChunkCursor(policy, maxChunk = (MAX_ARRAY_VALUES / channels).toLong())

    init {
        // A first frame that cannot fit in one array fails here, not after gigabytes were pushed.
        cursor.nextNew
    }

    /** The global sample frame at storage index 0. */
    private var baseFrame = 0L

    /** One past the last value pushed, as a storage index. */
    private var writeEnd = 0

    private var padFinal = false

    /** True once the producer said it is done. */
    var isProducerDone: Boolean = false
        private set

    /** True once the final frame was taken. */
    val isFinished: Boolean get() = cursor.finalDelivered

    /** The sample frames pushed since the last reset (kept, not derived: no division per frame). */
    var pushedFrames: Long = 0
        private set

    /**
     * Checks a push of [length] values at [offset] from an array of [arraySize] values, makes room
     * for it and returns the storage index to copy it to. Changes nothing if the push is bad.
     */
    fun reserve(
        arraySize: Int,
        offset: Int,
        length: Int,
    ): Int {
        require(offset in 0..arraySize) { "offset must be in 0..$arraySize (the array size), was $offset" }
        require(length >= 0) { "length must be >= 0, was $length" }
        require(length <= arraySize - offset) {
            "length must be <= ${arraySize - offset} (array size $arraySize - offset $offset), was $length"
        }
        require(length % channels == 0) {
            "length must be a whole number of sample frames of $channels values, was $length"
        }
        check(!isProducerDone) { "cannot push after finish(); call reset() to start a new stream" }
        ensureRoom(length)
        return writeEnd
    }

    /** Records that [length] values were copied to the index [reserve] returned. */
    fun commit(length: Int) {
        writeEnd += length
        pushedFrames += if (channels == 1) length else length / channels
    }

    fun hasFrame(): Boolean = cursor.readyCount(available(), isProducerDone) >= 0

    /** Whether only endless empty continuation frames remain (see [ChunkCursor.isDrained]). */
    fun isDrained(): Boolean = cursor.isDrained(available(), isProducerDone)

    /** Describes the next frame in [frame] and consumes it. Changes nothing if it throws. */
    fun next(frame: PcmFrame) {
        val available = available()
        val newCount = cursor.readyCount(available, isProducerDone)
        if (newCount < 0) {
            throw NoSuchElementException(
                "no frame is ready: frame ${cursor.chunkIndex} needs ${cursor.nextNew} sample frames, " +
                    "$available available, producer done=$isProducerDone",
            )
        }
        val context = cursor.contextFor(newCount)
        val start = cursor.delivered - context
        val paddingFrames = if (padFinal && isProducerDone && newCount in 1 until cursor.nextNew) cursor.nextNew - newCount else 0
        if (paddingFrames > 0) {
            ensureRoom(paddingFrames * channels)
            zero(writeEnd, paddingFrames * channels)
        }
        val isFinal = cursor.isFinal(newCount, available, isProducerDone)
        frame.offset = ((start - baseFrame) * channels).toInt()
        frame.length = (context + newCount + paddingFrames) * channels
        frame.contextSize = context
        frame.paddingSize = paddingFrames
        frame.index = cursor.chunkIndex
        frame.startOffset = start
        frame.isFinal = isFinal
        cursor.advance(newCount, isFinal)
    }

    fun finish(padFinal: Boolean) {
        if (isProducerDone) return
        isProducerDone = true
        this.padFinal = padFinal
    }

    fun reset() {
        cursor.reset()
        baseFrame = 0
        writeEnd = 0
        pushedFrames = 0
        isProducerDone = false
        padFinal = false
    }

    private fun available(): Long = pushedFrames - cursor.delivered

    /** Makes room for [count] more values after [writeEnd]: compacts first, grows only if that is not enough. */
    private fun ensureRoom(count: Int) {
        if (writeEnd + count <= capacity) return
        val drop = ((cursor.keepFrom - baseFrame) * channels).toInt()
        if (drop > 0) {
            move(drop, 0, writeEnd - drop)
            writeEnd -= drop
            baseFrame = cursor.keepFrom
        }
        val needed = writeEnd.toLong() + count
        if (needed > capacity) {
            // Grow with the data: double, but never past this burst plus one whole frame (after
            // the next compaction a burst of this size fits again without growing).
            val frame = runCatching { (cursor.nextContext.toLong() + cursor.nextNew) * channels }.getOrDefault(0L)
            val grown = maxOf(needed, minOf(2L * capacity, count + frame))
            require(grown <= MAX_ARRAY_VALUES) { "a re-framer holds at most $MAX_ARRAY_VALUES values, $grown needed" }
            try {
                resize(grown.toInt())
                capacity = grown.toInt()
            } catch (e: Throwable) {
                if (!isAllocationFailure(e)) throw e
                // One large array that did not fit (a policy asking for a huge frame, padded at the end):
                // a clear error, and the heap is as it was, since the failed array was never made.
                throw IllegalStateException(
                    "a re-framer could not allocate $grown values for frame ${cursor.chunkIndex} " +
                        "(${cursor.nextNew} new sample frames of $channels values): the policy's frame is too large",
                    e,
                )
            }
        }
    }

    private companion object {
        /** The largest array the JVM reliably allocates. */
        const val MAX_ARRAY_VALUES = Int.MAX_VALUE - 8
    }
}

package dev.sluice.buffer.internal

import dev.sluice.buffer.ChunkPolicy

/**
 * The bookkeeping of a PCM re-framer, independent of the sample type: where the retained samples
 * sit in the storage array, which frame comes next, and when the storage must be compacted or
 * grown. The public re-framers own the array and do the copies through [Storage].
 *
 * Positions in the storage are in values; the policy counts sample frames of [channels] values.
 */
internal class ReframeCore(
    policy: ChunkPolicy,
    private val channels: Int,
    private val storage: Storage,
) {
    /** The primitive operations on the owner's array. */
    interface Storage {
        val capacity: Int

        fun move(
            from: Int,
            to: Int,
            count: Int,
        )

        /** Replaces the array by one of [capacity] values that starts with the first [keep] values. */
        fun resize(
            capacity: Int,
            keep: Int,
        )

        fun zero(
            from: Int,
            count: Int,
        )
    }

    private val cursor = ChunkCursor(policy)

    /** The global sample frame at storage index 0. */
    private var baseFrame = 0L

    /** One past the last value pushed, as a storage index. */
    private var writeEnd = 0

    var isFinished: Boolean = false
        private set

    private var padFinal = false

    // The frame that nextFrame() described last.
    var frameOffset: Int = 0
        private set
    var frameLength: Int = 0
        private set
    var frameContextLength: Int = 0
        private set
    var framePadding: Int = 0
        private set
    var frameIndex: Int = 0
        private set
    var frameStart: Long = 0
        private set
    var frameIsFinal: Boolean = false
        private set

    init {
        require(channels >= 1) { "channels must be >= 1, was $channels" }
    }

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
        require(offset >= 0) { "offset must be >= 0, was $offset" }
        require(length >= 0) { "length must be >= 0, was $length" }
        require(offset <= arraySize - length) {
            "offset + length must be <= array size $arraySize, was offset=$offset, length=$length"
        }
        require(length % channels == 0) {
            "length must be a whole number of sample frames of $channels values, was $length"
        }
        check(!isFinished) { "cannot push after finish(); call reset() to start a new stream" }
        ensureRoom(length)
        return writeEnd
    }

    /** Records that [length] values were copied to the index [reserve] returned. */
    fun commit(length: Int) {
        writeEnd += length
        pushedFrames += if (channels == 1) length else length / channels
    }

    fun hasFrame(): Boolean = cursor.readyCount(available(), isFinished) >= 0

    /** Describes the next frame in the `frame*` properties and consumes it. */
    fun next() {
        val available = available()
        val newCount = cursor.readyCount(available, isFinished)
        if (newCount < 0) {
            throw NoSuchElementException(
                "no frame is ready: frame ${cursor.chunkIndex} needs ${cursor.nextNew} sample frames, " +
                    "$available available, finished=$isFinished",
            )
        }
        val context = cursor.contextFor(newCount)
        val start = cursor.delivered - context
        val padding = if (padFinal && isFinished && newCount in 1 until cursor.nextNew) (cursor.nextNew - newCount) * channels else 0
        if (padding > 0) {
            ensureRoom(padding)
            storage.zero(writeEnd, padding)
        }
        frameOffset = ((start - baseFrame) * channels).toInt()
        frameLength = (context + newCount) * channels + padding
        frameContextLength = context * channels
        framePadding = padding
        frameIndex = cursor.chunkIndex
        frameStart = start
        frameIsFinal = cursor.isFinal(newCount, available, isFinished)
        cursor.advance(newCount, frameIsFinal)
    }

    fun finish(padFinal: Boolean) {
        if (isFinished) return
        isFinished = true
        this.padFinal = padFinal
    }

    fun reset() {
        cursor.reset()
        baseFrame = 0
        writeEnd = 0
        pushedFrames = 0
        isFinished = false
        padFinal = false
        frameOffset = 0
        frameLength = 0
        frameContextLength = 0
        framePadding = 0
        frameIndex = 0
        frameStart = 0
        frameIsFinal = false
    }

    private fun available(): Long = pushedFrames - cursor.delivered

    /** Makes room for [count] more values after [writeEnd]: compacts first, grows only if that is not enough. */
    private fun ensureRoom(count: Int) {
        if (writeEnd + count <= storage.capacity) return
        val retainFrom = cursor.delivered - cursor.nextContext
        val drop = ((retainFrom - baseFrame) * channels).toInt()
        if (drop > 0) {
            storage.move(drop, 0, writeEnd - drop)
            writeEnd -= drop
            baseFrame = retainFrom
        }
        val needed = writeEnd.toLong() + count
        if (needed > storage.capacity) {
            // Room for this burst plus one whole frame: after the next compaction, a burst of this
            // size fits again without growing.
            val frame = (cursor.nextContext.toLong() + cursor.nextNew) * channels
            val capacity = maxOf(needed, count + frame)
            require(capacity <= Int.MAX_VALUE) { "a re-framer holds at most ${Int.MAX_VALUE} values, $capacity needed" }
            storage.resize(capacity.toInt(), writeEnd)
        }
    }
}

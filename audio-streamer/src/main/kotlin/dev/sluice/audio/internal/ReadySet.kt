package dev.sluice.audio.internal

import kotlinx.coroutines.channels.Channel

/**
 * The samples of one batch that have something new for its consumer: a chunk, or an end. A lane
 * whose consumer found it empty adds itself here once (under its own lock) when that changes, and
 * [signal] wakes the consumer; a signal sent before the consumer waits is kept. The consumer takes
 * the whole set at once with [drainInto], so what a map costs follows the samples that are ready,
 * not the size of the batch.
 *
 * A sample is never in the set twice: it is added only while its consumer is marked waiting, and
 * adding it clears that mark, which only the consumer's next poll of the sample sets again.
 */
internal class ReadySet(
    size: Int,
) {
    private val ring = IntArray(size)
    private var head = 0
    private var count = 0

    /** Conflated: at most one pending wake-up, whatever the number of samples added. */
    val signal = Channel<Unit>(Channel.CONFLATED)

    /** Adds sample [index] and wakes the consumer. Called with the sample's lane lock held. */
    fun add(index: Int) {
        synchronized(this) {
            check(count < ring.size) { "sample $index added to a full ready set" }
            ring[(head + count) % ring.size] = index
            count++
        }
        signal.trySend(Unit)
    }

    /** Moves every sample in the set into `into[at until at + n]` and returns `at + n`. */
    fun drainInto(
        into: IntArray,
        at: Int,
    ): Int {
        synchronized(this) {
            var to = at
            while (count > 0) {
                into[to++] = ring[head]
                head = (head + 1) % ring.size
                count--
            }
            return to
        }
    }
}

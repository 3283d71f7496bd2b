package dev.sluice.benchmarks

import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.chunked
import kotlinx.coroutines.runBlocking

/** Kotlin peers that are awkward to call from Java (suspending collection, sequences). */
public object KotlinPeers {
    /** kotlinx `Flow.chunked(size)` over `0 until n`: the number of items seen. */
    @OptIn(ExperimentalCoroutinesApi::class)
    @JvmStatic
    public fun flowChunked(
        n: Int,
        size: Int,
    ): Long =
        runBlocking {
            var items = 0L
            (0 until n).asFlow().chunked(size).collect { items += it.size }
            items
        }

    /** `Sequence.chunked(size)` over `0 until n`: the number of items seen. */
    @JvmStatic
    public fun sequenceChunked(
        n: Int,
        size: Int,
    ): Long = (0 until n).asSequence().chunked(size).sumOf { it.size.toLong() }

    /** `Sequence.windowed(size, step)` over `0 until n`: the number of items seen. */
    @JvmStatic
    public fun sequenceWindowed(
        n: Int,
        size: Int,
        step: Int,
    ): Long = (0 until n).asSequence().windowed(size, step).sumOf { it.size.toLong() }
}

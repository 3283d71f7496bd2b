package dev.sluice.audio

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.StreamBuffer
import dev.sluice.buffer.StreamChunk
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Cuts this flow into [StreamChunk]s as [policy] says, with a [StreamBuffer]: every chunk is
 * emitted as soon as it is ready, and the end of this flow is the end of the stream, so the last
 * chunk (or an empty final chunk) has `isFinal = true`. With a
 * [ChunkPolicy.continueAfterDone] policy the remainder is emitted as a non-final chunk and the flow
 * completes: the end of this flow ends it. An error of this flow propagates downstream as it is.
 * Each collection starts a new stream.
 *
 * @sample dev.sluice.audio.samples.chunkedSample
 */
public fun <T> Flow<T>.chunked(policy: ChunkPolicy): Flow<StreamChunk<T>> =
    flow {
        val buffer = StreamBuffer<T>(policy)
        collect { item ->
            buffer.append(item)
            buffer.forEachReady { emit(it) }
        }
        buffer.signalDone()
        buffer.forEachReady { emit(it) }
    }

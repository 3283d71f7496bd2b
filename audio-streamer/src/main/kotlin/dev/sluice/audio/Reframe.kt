package dev.sluice.audio

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.FloatFrame
import dev.sluice.buffer.FloatReframer
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Re-frames one sample's chunks into [AudioFrame]s cut by [policy], with a [FloatReframer]: for
 * example `FixedChunkPolicy(480)` for 20 ms frames at 24 kHz. Every frame keeps the sample index of
 * the chunks and its position in the sample's stream, in sample frames. The end of this flow
 * finishes the stream, so the remainder comes out as the final frame, zero-padded to full length
 * with [padFinal]; with a [ChunkPolicy.continueAfterDone] policy the remainder comes out non-final
 * and the flow completes. Frames are copies: a re-framer's view cannot cross an asynchronous
 * boundary. Each collection starts a new stream; an error of this flow propagates downstream.
 *
 * @throws IllegalArgumentException downstream, if a chunk is not a whole number of sample frames,
 *   or chunks of different samples arrive.
 * @sample dev.sluice.audio.samples.vibeVoiceShapeSample
 */
public fun Flow<AudioChunk>.reframe(
    policy: ChunkPolicy,
    channels: Int = 1,
    padFinal: Boolean = false,
): Flow<AudioFrame> =
    flow {
        val reframer = FloatReframer(policy, channels)
        var sample = -1
        collect { chunk ->
            require(sample < 0 || chunk.sampleIndex == sample) {
                "reframe got a chunk of sample ${chunk.sampleIndex} after chunks of sample $sample: re-frame each sample on its own"
            }
            sample = chunk.sampleIndex
            reframer.push(chunk.samples)
            reframer.forEachReady { emit(it.toAudioFrame(sample)) }
        }
        reframer.finish(padFinal)
        reframer.forEachReady { emit(it.toAudioFrame(maxOf(sample, 0))) }
    }

private fun FloatFrame.toAudioFrame(sampleIndex: Int): AudioFrame =
    AudioFrame(sampleIndex, toArray(), channels, contextSize, paddingSize, index, startOffset, isFinal)

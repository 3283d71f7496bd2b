package dev.sluice.audio

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.FloatFrame
import dev.sluice.buffer.FloatReframer
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Re-frames bursts of PCM of any size into [AudioFrame]s cut by [policy], with a [FloatReframer]:
 * for example `FixedChunkPolicy(480)` for 20 ms frames at 24 kHz. The end of this flow finishes
 * the stream, so the remainder comes out as the final frame, zero-padded to full length with
 * [padFinal]. Frames are copies: a re-framer's view cannot cross an asynchronous boundary. Each
 * collection starts a new stream; an error of this flow propagates downstream.
 *
 * @throws IllegalArgumentException downstream, if a burst is not a whole number of sample frames.
 * @sample dev.sluice.audio.samples.vibeVoiceShapeSample
 */
public fun Flow<FloatArray>.reframe(
    policy: ChunkPolicy,
    channels: Int = 1,
    padFinal: Boolean = false,
): Flow<AudioFrame> =
    flow {
        val reframer = FloatReframer(policy, channels)
        collect { burst ->
            reframer.push(burst)
            while (reframer.hasFrame()) emit(reframer.nextFrame().toAudioFrame())
        }
        reframer.finish(padFinal)
        while (reframer.hasFrame()) emit(reframer.nextFrame().toAudioFrame())
    }

private fun FloatFrame.toAudioFrame(): AudioFrame = AudioFrame(toArray(), contextLength, paddingLength, index, startFrame, isFinal)

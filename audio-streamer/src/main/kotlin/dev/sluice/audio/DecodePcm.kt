package dev.sluice.audio

import dev.sluice.buffer.PcmDecoder
import dev.sluice.buffer.SampleEncoding
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Decodes this flow of byte chunks, split anywhere, into whole sample frames of [channels]
 * interleaved float values, with a [PcmDecoder]: each chunk that completes at least one sample
 * frame emits one array. The end of this flow is the end of the byte stream: a partial sample
 * frame left over then fails the flow with an [IllegalStateException] naming the bytes left over.
 * Each collection starts a new stream.
 *
 * @sample dev.sluice.audio.samples.decodePcmSample
 */
public fun Flow<ByteArray>.decodePcm(
    encoding: SampleEncoding,
    channels: Int = 1,
): Flow<FloatArray> {
    require(channels >= 1) { "channels must be >= 1, was $channels" }
    return flow {
        val decoder = PcmDecoder(encoding, channels)
        collect { bytes ->
            val values = decoder.decode(bytes)
            if (values.isNotEmpty()) emit(values)
        }
        decoder.finish()
    }
}

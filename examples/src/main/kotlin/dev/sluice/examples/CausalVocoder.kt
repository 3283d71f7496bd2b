package dev.sluice.examples

/**
 * A causal "vocoder": each codec frame becomes [SAMPLES_PER_FRAME] samples at 24 kHz, as in the
 * Qwen3-Omni codec. Frame t sounds a tone whose pitch follows its token; its loudness and the
 * glide from the previous pitch depend on the [receptive] frames before it, and on nothing else.
 *
 * Like a causal convolution, a decoder that sees a chunk cannot see the frames before it: it
 * treats them as rests. So a chunk decodes its new frames exactly as an offline pass would only
 * when it repeats at least [receptive] earlier frames as context (or all of them, at the start).
 * All arithmetic is reproducible (StrictMath), so "exactly" means bit for bit.
 */
internal class CausalVocoder(
    val receptive: Int,
) {
    init {
        require(receptive >= 0) { "receptive must be >= 0, was $receptive" }
    }

    /** Decodes [frames], the first of which is frame [startFrame] of the stream. */
    fun decode(
        frames: List<Int>,
        startFrame: Long,
    ): FloatArray {
        val out = FloatArray(frames.size * SAMPLES_PER_FRAME)
        for (j in frames.indices) {
            val token = frames[j]
            var voiced = if (token == Talker.REST) 0 else 1
            var previous = token
            for (k in 1..receptive) {
                val earlier = if (j - k >= 0) frames[j - k] else Talker.REST
                if (k == 1) previous = earlier
                if (earlier != Talker.REST) voiced++
            }
            val loudness = 0.05 + 0.3 * voiced / (receptive + 1)
            val pitch = pitchOf(token)
            val glideFrom = if (previous == Talker.REST) pitch else pitchOf(previous)
            val base = (startFrame + j) * SAMPLES_PER_FRAME
            for (n in 0 until SAMPLES_PER_FRAME) {
                val time = (base + n).toDouble() / SAMPLE_RATE
                val glide = if (n < GLIDE) n.toDouble() / GLIDE else 1.0
                val value =
                    if (token == Talker.REST) {
                        0.0
                    } else {
                        loudness *
                            (
                                glide * StrictMath.sin(2 * StrictMath.PI * pitch * time) +
                                    (1 - glide) * StrictMath.sin(2 * StrictMath.PI * glideFrom * time)
                            )
                    }
                out[j * SAMPLES_PER_FRAME + n] = value.toFloat()
            }
        }
        return out
    }

    private fun pitchOf(token: Int): Double = 110.0 * StrictMath.pow(2.0, token / 12.0)

    companion object {
        const val SAMPLE_RATE = 24_000
        const val SAMPLES_PER_FRAME = 1920
        private const val GLIDE = 480
    }
}

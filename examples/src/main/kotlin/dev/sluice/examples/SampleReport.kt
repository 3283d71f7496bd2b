package dev.sluice.examples

/** One chunk on the timeline: where its audio starts, when it arrived, when playback needed it (seconds from the start). */
internal class ChunkTiming(
    val audioStart: Double,
    val arrival: Double,
    val deadline: Double,
)

/** What happened to one sample of the batch. */
internal class SampleReport(
    val index: Int,
    val text: String,
    val sampleRate: Int,
    val chunks: Int,
    val frames: Int,
    val samples: Int,
    val firstAudioMillis: Double,
    val generationSeconds: Double,
    val underruns: Int,
    /** The offline reference, when the engine has one; null for a real engine. */
    val offlineSamples: Int?,
    val maxDiff: Double?,
    val timings: List<ChunkTiming>,
    /** Silero VAD on the live stream beside VAD offline, with `--vad`; null without. */
    val vad: VadReport? = null,
) {
    val audioSeconds: Double get() = samples.toDouble() / sampleRate

    val realTimeFactor: Double get() = if (audioSeconds == 0.0) 0.0 else generationSeconds / audioSeconds

    val exact: Boolean get() = offlineSamples == samples && maxDiff == 0.0

    fun summary(): String {
        val comparison =
            when {
                offlineSamples == null -> "streamed == offline: n/a (real engine)"
                offlineSamples != samples -> "streamed == offline: MISMATCH ($samples samples streamed, $offlineSamples offline)"
                exact -> "streamed == offline: exact match (max |diff| = 0)"
                else -> "streamed == offline: MISMATCH (max |diff| = ${"%.6f".format(maxDiff)})"
            }
        return "sample $index \"$text\"\n" +
            "  time to first audio ${"%.0f".format(firstAudioMillis)} ms, real-time factor ${"%.2f".format(realTimeFactor)}, " +
            "${"%.2f".format(audioSeconds)} s of audio\n" +
            "  $chunks chunks, $frames frames of 20 ms, $underruns underruns\n" +
            "  $comparison" +
            (vad?.let { "\n" + it.summary() } ?: "")
    }
}

/**
 * Silero VAD's speech probability per 32 ms window: on the live stream's chunks ([live]) and
 * offline over the whole waveform ([offline]), with the model time of the live run.
 */
internal class VadReport(
    val live: FloatArray,
    val offline: FloatArray,
    val modelNanos: Long,
) {
    /** The same windows with the same probabilities, bit for bit. */
    val identical: Boolean get() = live.contentEquals(offline)

    val millisPerWindow: Double get() = if (live.isEmpty()) 0.0 else modelNanos / 1e6 / live.size

    /** The audio position of window [k], in seconds. */
    fun seconds(k: Int): Double = k * SileroVad.WINDOW.toDouble() / SileroVad.SAMPLE_RATE

    /**
     * Speech segments, in seconds: speech starts at a window of probability >= 0.5 and ends at the
     * first window below 0.35 (Silero's own thresholds).
     */
    val segments: List<ClosedFloatingPointRange<Double>>
        get() {
            val out = mutableListOf<ClosedFloatingPointRange<Double>>()
            var start = -1
            for (k in live.indices) {
                if (start < 0 && live[k] >= 0.5f) start = k
                if (start >= 0 && live[k] < 0.35f) {
                    out += seconds(start)..seconds(k)
                    start = -1
                }
            }
            if (start >= 0) out += seconds(start)..seconds(live.size)
            return out
        }

    fun summary(): String {
        val speech = segments.joinToString { "%.2f-%.2f s".format(it.start, it.endInclusive) }.ifEmpty { "none" }
        val check =
            if (identical) {
                "VAD streamed == offline: ${live.size} windows, bit-identical"
            } else {
                "VAD streamed == offline: MISMATCH (${live.size} windows live, ${offline.size} offline)"
            }
        return "  speech: $speech\n  $check, ${"%.2f".format(millisPerWindow)} ms per 32 ms window"
    }
}

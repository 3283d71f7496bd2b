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
            "  $comparison"
    }
}

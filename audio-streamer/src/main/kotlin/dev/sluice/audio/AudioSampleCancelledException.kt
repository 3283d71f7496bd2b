package dev.sluice.audio

import kotlinx.coroutines.CancellationException

/**
 * Thrown to a consumer that reads a sample that was cancelled (by [AsyncAudioStreamer.cancel], or
 * by another end that closed early), so that a cancelled sample never looks like an empty one that
 * ended. It is a [CancellationException]: a coroutine that lets it propagate is quietly cancelled,
 * as for any other stop.
 */
public class AudioSampleCancelledException(
    /** The sample that was cancelled. */
    public val sampleIndex: Int,
) : CancellationException("sample $sampleIndex was cancelled")

package dev.sluice.android

/** The track refused the stream: an `AudioTrack.ERROR_*` code from a write, or no progress in time. */
public class AudioTrackException(
    message: String,
    /** The negative `AudioTrack.ERROR_*` code, or 0 when the track stalled. */
    public val errorCode: Int,
) : RuntimeException(message)

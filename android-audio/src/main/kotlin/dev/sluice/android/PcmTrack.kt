package dev.sluice.android

import java.nio.ByteBuffer

/**
 * The part of `android.media.AudioTrack` that [AudioTrackSink] uses, so that the sink can be
 * tested on a plain JVM with a fake track. [AndroidAudioTracks] makes the real one.
 *
 * The sink calls every method from one thread at a time (its playback thread, or the thread that
 * cancels it), under one lock, and never calls a method after [release].
 */
public interface PcmTrack {
    /**
     * Writes up to [sizeInBytes] bytes from [data], starting at its position, as
     * `AudioTrack.write(ByteBuffer, int, WRITE_BLOCKING)` does.
     *
     * @return the number of bytes written (0 when the track accepted nothing this time), or a
     *   negative `AudioTrack.ERROR_*` code. The position of [data] advances by the bytes written.
     */
    public fun write(
        data: ByteBuffer,
        sizeInBytes: Int,
    ): Int

    /** Starts or resumes playback. */
    public fun play()

    /** Pauses playback; what was written stays queued. */
    public fun pause()

    /** Drops what was written and not yet played. */
    public fun flush()

    /** Stops after what was written has played (stream mode). */
    public fun stop()

    /** Frees the track. No other method is called after it. */
    public fun release()

    /** The sample frames played so far (the playback head), as an unsigned count. */
    public val playbackHeadPosition: Long

    /** How many times playback ran out of data so far. */
    public val underrunCount: Int
}

/** Makes [PcmTrack]s: [AndroidAudioTracks] on Android, a fake one in tests. */
public interface PcmTrackFactory {
    /** The smallest buffer, in bytes, that a track for [format] accepts. */
    public fun minBufferSize(format: PcmFormat): Int

    /** Opens a track in stream mode for [format] with a buffer of [bufferSizeInBytes]. */
    public fun open(
        format: PcmFormat,
        bufferSizeInBytes: Int,
    ): PcmTrack
}

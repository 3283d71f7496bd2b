package dev.sluice.android

import android.media.AudioAttributes
import android.media.AudioFormat
import android.media.AudioTrack
import java.nio.ByteBuffer

/** Real `android.media.AudioTrack`s in stream mode, for speech (API 24 and newer). */
public object AndroidAudioTracks : PcmTrackFactory {
    /**
     * `AudioTrack.getMinBufferSize` for [format].
     *
     * @throws IllegalArgumentException if the device rejects the format.
     */
    override fun minBufferSize(format: PcmFormat): Int {
        val size = AudioTrack.getMinBufferSize(format.sampleRate, channelMask(format), encoding(format))
        require(size > 0) { "AudioTrack does not accept $format: getMinBufferSize returned $size" }
        return size
    }

    /**
     * A new track for [format], with a buffer of [bufferSizeInBytes], usage media and content type
     * speech.
     *
     * @throws IllegalStateException if the track could not be initialized.
     */
    override fun open(
        format: PcmFormat,
        bufferSizeInBytes: Int,
    ): PcmTrack {
        val track =
            AudioTrack
                .Builder()
                .setAudioAttributes(
                    AudioAttributes
                        .Builder()
                        .setUsage(AudioAttributes.USAGE_MEDIA)
                        .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH)
                        .build(),
                ).setAudioFormat(
                    AudioFormat
                        .Builder()
                        .setSampleRate(format.sampleRate)
                        .setChannelMask(channelMask(format))
                        .setEncoding(encoding(format))
                        .build(),
                ).setBufferSizeInBytes(bufferSizeInBytes)
                .setTransferMode(AudioTrack.MODE_STREAM)
                .build()
        if (track.state != AudioTrack.STATE_INITIALIZED) {
            track.release()
            throw IllegalStateException("AudioTrack for $format with $bufferSizeInBytes bytes did not initialize")
        }
        return Track(track)
    }

    /** A description for logs. */
    override fun toString(): String = "AndroidAudioTracks"

    private fun channelMask(format: PcmFormat): Int =
        if (format.channels ==
            1
        ) {
            AudioFormat.CHANNEL_OUT_MONO
        } else {
            AudioFormat.CHANNEL_OUT_STEREO
        }

    private fun encoding(format: PcmFormat): Int =
        when (format.encoding) {
            PcmEncoding.PCM_16BIT -> AudioFormat.ENCODING_PCM_16BIT
            PcmEncoding.PCM_FLOAT -> AudioFormat.ENCODING_PCM_FLOAT
        }

    private class Track(
        private val track: AudioTrack,
    ) : PcmTrack {
        override fun write(
            data: ByteBuffer,
            sizeInBytes: Int,
        ): Int = track.write(data, sizeInBytes, AudioTrack.WRITE_BLOCKING)

        override fun play() = track.play()

        override fun pause() = track.pause()

        override fun flush() = track.flush()

        override fun stop() = track.stop()

        override fun release() = track.release()

        override val playbackHeadPosition: Long get() = track.playbackHeadPosition.toLong() and 0xFFFF_FFFFL

        override val underrunCount: Int get() = track.underrunCount

        override fun toString(): String = "AudioTrack(session ${track.audioSessionId})"
    }
}

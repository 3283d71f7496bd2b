package dev.sluice.android

import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer

/**
 * A [PcmTrack] for plain-JVM tests. It records what it was asked to do, and misbehaves as told:
 * it accepts at most [acceptPerWrite] bytes per write, returns the codes of [script] first (0 for
 * "nothing accepted", negative for an error), returns 0 while [stalled] says so, throws
 * [throwOnWrite], and moves its playback head with [head] (by default, everything written has
 * played).
 */
class FakeTrack(
    private val frameSize: Int,
    private val acceptPerWrite: Int = Int.MAX_VALUE,
    script: List<Int> = emptyList(),
    private val stalled: () -> Boolean = { false },
    private val throwOnWrite: Throwable? = null,
    private val head: (writtenFrames: Long) -> Long = { it },
) : PcmTrack {
    private val script = ArrayDeque(script)
    private val bytes = ByteArrayOutputStream()
    private var released = false

    /** Every call, in order: "play", "pause", "flush", "stop", "release", "write <n>". */
    val events: MutableList<String> = mutableListOf()

    /** Calls made after release: must stay empty. */
    val afterRelease: MutableList<String> = mutableListOf()

    /** The names of the threads that called write. */
    val writerThreads: MutableSet<String> =
        java.util.concurrent.ConcurrentHashMap
            .newKeySet()

    /** Writes that returned 0. */
    var zeroWrites = 0
        private set

    /** The head position when release() was called. */
    var headAtRelease = -1L
        private set

    /** Everything written, in order. */
    fun written(): ByteArray = synchronized(this) { bytes.toByteArray() }

    private fun record(event: String) =
        synchronized(this) {
            if (released) afterRelease += event
            events += event
        }

    override fun write(
        data: ByteBuffer,
        sizeInBytes: Int,
    ): Int {
        writerThreads += Thread.currentThread().name
        throwOnWrite?.let {
            record("write throws")
            throw it
        }
        script.removeFirstOrNull()?.let { code ->
            record("write $code")
            if (code == 0) zeroWrites++
            return code
        }
        if (stalled()) {
            record("write 0")
            zeroWrites++
            return 0
        }
        val n = minOf(sizeInBytes, acceptPerWrite, data.remaining())
        val chunk = ByteArray(n)
        data.get(chunk)
        synchronized(this) { bytes.write(chunk) }
        record("write $n")
        return n
    }

    override fun play() = record("play")

    override fun pause() = record("pause")

    override fun flush() = record("flush")

    override fun stop() = record("stop")

    override fun release() {
        headAtRelease = playbackHeadPosition
        record("release")
        released = true
    }

    override val playbackHeadPosition: Long get() = head(synchronized(this) { bytes.size().toLong() } / frameSize)

    override val underrunCount: Int get() = 3
}

/** A factory that hands out [track] once and records the buffer size asked for. */
class FakeTracks(
    private val track: FakeTrack,
    private val minBufferSize: Int = 1000,
) : PcmTrackFactory {
    var bufferSize = -1
        private set

    override fun minBufferSize(format: PcmFormat): Int = minBufferSize

    override fun open(
        format: PcmFormat,
        bufferSizeInBytes: Int,
    ): PcmTrack {
        check(bufferSize == -1) { "opened twice" }
        bufferSize = bufferSizeInBytes
        return track
    }
}

package dev.sluice.audio

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlin.jvm.JvmOverloads

/**
 * Serves the samples of an [AsyncAudioStreamer] to clients that may disconnect and come back,
 * from a bounded replay window: the transport-neutral half of serving audio across a network.
 *
 * Per sample, one pump is the streamer's consumer end. It moves chunks into a window of at most
 * [capacity] chunks. A chunk leaves the window only when a newer one needs the room and the
 * client has acknowledged it; while the window is full of chunks not yet acknowledged, the pump
 * waits, so a slow client backs up into the streamer's bounded queue and its overflow choice. A
 * client acknowledges a chunk by asking for a later one, through [acknowledge] (a network client,
 * whose received chunks may still be in flight when the flow hands them on), or, by default, when
 * the collector of [chunks] has taken it. A client asks for [chunks] from the next chunk index it needs, and gets every
 * chunk from there once, in order; one that asks for a chunk already evicted gets an
 * [AudioChunkEvictedException].
 *
 * **Disconnected is not cancelled.** When a client's flow stops without the sample having ended,
 * the sample is kept for [resumeWindowMillis]; a client that comes back in time resumes, and one
 * that does not lets the window expire, which cancels the sample (the producer's cancellation
 * listeners fire). Only [cancel] cancels at once. A sample that no client ever asks for is
 * cancelled when the same window expires after the replay is created. A new client of a sample
 * replaces the old one, whose flow ends. A sample cancelled on the streamer itself
 * ([AsyncAudioStreamer.cancel]) is cancelled here too: its window is let go of, and its clients
 * get an [AudioSampleCancelledException], as after [cancel].
 *
 * @param scope runs the pumps and the timers; cancelling it cancels every sample not yet ended.
 * @throws IllegalArgumentException if [capacity] < 1 or [resumeWindowMillis] < 0.
 */
public class AudioReplay
    @JvmOverloads
    constructor(
        private val streamer: AsyncAudioStreamer,
        private val scope: CoroutineScope,
        /** The most chunks kept per sample. */
        public val capacity: Int = 64,
        /** How long a sample with no client is kept before it is cancelled. */
        public val resumeWindowMillis: Long = 30_000,
    ) {
        init {
            require(capacity >= 1) { "capacity must be >= 1, was $capacity" }
            require(resumeWindowMillis >= 0) { "resumeWindowMillis must be >= 0, was $resumeWindowMillis" }
        }

        private val samples = Array(streamer.batchSize) { Sample(it).also { s -> s.startExpiry() } }

        /** The number of samples in the batch. */
        public val batchSize: Int get() = streamer.batchSize

        /**
         * The chunks of [sampleIndex] whose index is at least [fromIndex], in order. The flow
         * completes after the sample's last chunk, and throws the producer's cause after a failure.
         *
         * With [acknowledgeOnEmit] false, a chunk counts as received only through [acknowledge]: for
         * a transport whose emit returns before the client has the chunk.
         *
         * @throws IllegalArgumentException if [sampleIndex] is outside the batch or [fromIndex] < 0.
         * @throws AudioChunkEvictedException (from the flow) if a chunk at or after [fromIndex] was
         *   already evicted.
         * @throws AudioSampleCancelledException (from the flow) if the sample was cancelled.
         */
        @JvmOverloads
        public fun chunks(
            sampleIndex: Int,
            fromIndex: Long = 0,
            acknowledgeOnEmit: Boolean = true,
        ): Flow<AudioChunk> {
            val sample = sample(sampleIndex)
            require(fromIndex >= 0) { "fromIndex must be >= 0, was $fromIndex" }
            return flow {
                val generation = sample.attach(fromIndex)
                var completed = false
                try {
                    var next = fromIndex
                    while (true) {
                        val seen = sample.version.value
                        when (val step = sample.next(generation, next)) {
                            is Step.Chunk -> {
                                emit(step.chunk)
                                if (acknowledgeOnEmit) sample.acknowledge(step.chunk.index)
                                next = step.chunk.index + 1
                            }
                            Step.End -> break
                            Step.Replaced -> break
                            Step.Wait -> sample.version.first { it != seen }
                        }
                    }
                    completed = true
                } finally {
                    sample.detach(generation, completed)
                }
            }
        }

        /**
         * Cancels [sampleIndex] now, as an explicit cancel from its client: the producer's listeners
         * fire, and a client still reading gets [AudioSampleCancelledException]. A sample that already
         * ended is not affected.
         *
         * @throws IllegalArgumentException if [sampleIndex] is outside the batch.
         */
        public fun cancel(sampleIndex: Int) {
            sample(sampleIndex).cancel()
        }

        /**
         * Says that the client of [sampleIndex] has received every chunk up to [chunkIndex], so the
         * window may evict them. Acknowledging less than before changes nothing.
         *
         * @throws IllegalArgumentException if [sampleIndex] is outside the batch.
         */
        public fun acknowledge(
            sampleIndex: Int,
            chunkIndex: Long,
        ) {
            sample(sampleIndex).acknowledge(chunkIndex)
        }

        /** The number of chunks of [sampleIndex] in the window now. */
        public fun retainedChunks(sampleIndex: Int): Int = sample(sampleIndex).retainedCount()

        private fun sample(i: Int): Sample {
            require(i in 0 until streamer.batchSize) { "sampleIndex must be in 0 until ${streamer.batchSize}, was $i" }
            return samples[i]
        }

        private sealed class Step {
            class Chunk(
                val chunk: AudioChunk,
            ) : Step()

            object End : Step()

            object Replaced : Step()

            object Wait : Step()
        }

        private inner class Sample(
            private val index: Int,
        ) {
            private val lock = Any()
            private val window = ArrayDeque<AudioChunk>()
            private var acked = -1L
            private var lastEvicted = -1L
            private var ended = false
            private var failure: Throwable? = null
            private var cancelled = false
            private var pump: Job? = null
            private var expiry: Job? = null
            private var generation = 0L

            /** Bumped on every change a waiting client or the pump may care about. */
            val version = MutableStateFlow(0L)

            private fun changed() {
                version.value++
            }

            fun retainedCount(): Int = synchronized(lock) { window.size }

            fun attach(fromIndex: Long): Long =
                synchronized(lock) {
                    if (cancelled) throw AudioSampleCancelledException(index)
                    if (fromIndex <= lastEvicted) throw AudioChunkEvictedException(index, fromIndex, lastEvicted)
                    expiry?.cancel()
                    expiry = null
                    generation++
                    // Everything before the client's position was received: it may be evicted.
                    acked = maxOf(acked, fromIndex - 1)
                    if (pump == null) pump = scope.launch { pump() }
                    changed()
                    generation
                }

            fun next(
                generation: Long,
                from: Long,
            ): Step =
                synchronized(lock) {
                    if (generation != this.generation) return Step.Replaced
                    if (cancelled) throw AudioSampleCancelledException(index)
                    // The window is sorted by index (with gaps where chunks were dropped): a binary search.
                    val at = window.binarySearchBy(from) { it.index }.let { if (it >= 0) it else -it - 1 }
                    if (at < window.size) return Step.Chunk(window[at])
                    failure?.let { throw it }
                    if (ended) Step.End else Step.Wait
                }

            fun acknowledge(chunkIndex: Long) {
                synchronized(lock) { acked = maxOf(acked, chunkIndex) }
                changed()
            }

            fun detach(
                generation: Long,
                completed: Boolean,
            ) {
                synchronized(lock) {
                    if (generation != this.generation || cancelled) return
                    this.generation++ // no client now
                    if (!completed || !ended) startExpiryLocked()
                }
            }

            fun startExpiry() = synchronized(lock) { startExpiryLocked() }

            private fun startExpiryLocked() {
                expiry?.cancel()
                expiry =
                    scope.launch {
                        delay(resumeWindowMillis) // a deadline, not a poll: it fires once, unless a client comes back
                        synchronized(lock) { if (ended) return@launch }
                        cancel()
                    }
            }

            fun cancel() {
                val job: Job?
                synchronized(lock) {
                    if (ended || cancelled) return
                    cancelled = true
                    job = pump
                    window.clear()
                }
                job?.cancel()
                // A pump not yet collecting would miss the cancel: cancel the sample directly too.
                streamer.cancel(index)
                changed()
            }

            private suspend fun pump() {
                try {
                    streamer.stream(index).collect { chunk ->
                        while (true) {
                            val seen = version.value
                            val added =
                                synchronized(lock) {
                                    if (window.size >= capacity && window.first().index <= acked) {
                                        lastEvicted = window.removeFirst().index
                                    }
                                    if (window.size < capacity) window.addLast(chunk)
                                    window.size <= capacity && window.last() === chunk
                                }
                            if (added) break
                            version.first { it != seen } // the window is full of chunks not yet acknowledged
                        }
                        changed()
                    }
                    synchronized(lock) { ended = true }
                } catch (e: CancellationException) {
                    throw e.also { if (it is AudioSampleCancelledException) cancelledOnTheStreamer() }
                } catch (e: Throwable) {
                    synchronized(lock) {
                        failure = e
                        ended = true
                    }
                } finally {
                    changed()
                }
            }

            /** The streamer's sample was cancelled directly, not through this replay: clients learn it as from [cancel]. */
            private fun cancelledOnTheStreamer() {
                synchronized(lock) {
                    cancelled = true
                    window.clear()
                }
            }
        }
    }

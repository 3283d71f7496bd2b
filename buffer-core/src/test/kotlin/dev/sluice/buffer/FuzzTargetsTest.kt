package dev.sluice.buffer

import com.code_intelligence.jazzer.api.FuzzedDataProvider
import com.code_intelligence.jazzer.junit.FuzzTest

/**
 * Fuzz targets (Jazzer). In every build they run as plain tests over the committed inputs under
 * `src/test/resources/dev/sluice/buffer/FuzzTargetsTestInputs/<target>/`; `JAZZER_FUZZ=1` fuzzes
 * one target (see `.ci/run`'s `SLUICE_FUZZ`). A finding is any exception other than the documented
 * ones for misuse, a result that differs from the reference, or a hang (the op count is bounded).
 */
class FuzzTargetsTest {
    private fun policy(data: FuzzedDataProvider): ChunkPolicy =
        when (data.consumeInt(0, 3)) {
            0 -> FixedChunkPolicy(data.consumeInt(1, 9))
            1 -> LeftContextChunkPolicy(data.consumeInt(1, 9), data.consumeInt(0, 12))
            2 -> data.consumeInt(1, 12).let { w -> SlidingWindowChunkPolicy(w, data.consumeInt(1, w)) }
            else -> RampChunkPolicy(List(data.consumeInt(1, 3)) { data.consumeInt(1, 7) }, data.consumeInt(0, 5))
        }

    /** Runs [op] expecting either success or one of the documented misuse exceptions; returns whether it succeeded. */
    private inline fun misuseOrOk(op: () -> Unit): Boolean =
        try {
            op()
            true
        } catch (e: IllegalArgumentException) {
            false
        } catch (e: IllegalStateException) {
            false
        } catch (e: NoSuchElementException) {
            false
        }

    @FuzzTest(maxDuration = "30s")
    fun streamBuffer(data: FuzzedDataProvider) {
        val policy = policy(data)
        val buffer = StreamBuffer<Int>("fuzz", "edge", 0, policy)
        val model = ReferenceModel<Int>(policy)
        val requeued = ArrayDeque<StreamChunk<Int>>()
        var last: StreamChunk<Int>? = null
        var next = 0
        repeat(data.consumeInt(0, 300)) {
            if (data.remainingBytes() == 0) return@repeat
            when (data.consumeInt(0, 6)) {
                0 -> {
                    val id = "id${data.consumeInt(0, 20)}"
                    // Misuse (an id already registered or put, or after done) must change nothing.
                    if (misuseOrOk { buffer.preReadRegister(id) }) model.register(id)
                }
                1 -> {
                    val id = "id${data.consumeInt(0, 20)}"
                    val item = next
                    if (misuseOrOk { buffer.put(id, item) }) {
                        model.put(id, item)
                        next++
                    }
                }
                2 -> {
                    val item = next
                    if (misuseOrOk { buffer.append(item) }) {
                        model.append(item)
                        next++
                    }
                }
                3 -> {
                    buffer.signalDone()
                    model.signalDone()
                }
                4 -> {
                    // poll: the requeued chunks first, in order, then what the model says.
                    val expected = requeued.removeFirstOrNull() ?: model.pop()
                    val got = buffer.pollChunk()
                    check(got == expected) { "poll: got $got, the model says $expected ($policy)" }
                    if (got != null) last = got
                }
                5 -> {
                    val ready = buffer.hasChunkReady()
                    if (ready) {
                        val expected = requeued.removeFirstOrNull() ?: model.pop()
                        val got = buffer.popChunk()
                        check(got == expected) { "pop: got $got, the model says $expected ($policy)" }
                        last = got
                    } else {
                        check(!misuseOrOk { buffer.popChunk() }) { "popChunk succeeded with no chunk ready" }
                    }
                }
                else -> {
                    val chunk = last
                    if (chunk != null && misuseOrOk { buffer.requeue(chunk) }) requeued.addLast(chunk)
                    // A chunk made by hand is always refused.
                    check(!misuseOrOk { buffer.requeue(StreamChunk(listOf(1), 0, 0, 0, false)) }) { "a hand-made chunk was requeued" }
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    fun reframersAndDecoder(data: FuzzedDataProvider) {
        val channels = data.consumeInt(1, 2)
        val policy = policy(data)
        val padFinal = data.consumeBoolean()
        val frames = data.consumeInt(0, 400)
        val values = FloatArray(frames * channels) { it.toFloat() }
        // Whole: one push. Split: fuzzer-chosen bursts, some at an offset into a bigger array.
        val whole = FloatReframer(policy, channels).apply { push(values) }
        val split = FloatReframer(policy, channels)
        val fromWhole = mutableListOf<String>()
        val fromSplit = mutableListOf<String>()
        var at = 0
        while (at < values.size) {
            val n = minOf(values.size - at, data.consumeInt(0, 50) * channels)
            val pad = data.consumeInt(0, 3)
            val burst = FloatArray(n + 2 * pad).also { values.copyInto(it, pad, at, at + n) }
            split.push(burst, pad, n)
            split.forEachReady { fromSplit += "${it.index}:${it.toArray().toList()}:${it.contextSize}:${it.isFinal}" }
            at += n
            if (data.remainingBytes() == 0 && at < values.size) {
                split.push(values, at, values.size - at)
                at = values.size
            }
        }
        // Both pop everything before finish, so that both end the same way (an empty final frame
        // when the last full frame was taken before the end, per the end-of-stream rule).
        split.forEachReady { fromSplit += "${it.index}:${it.toArray().toList()}:${it.contextSize}:${it.isFinal}" }
        // A push past the end is refused and changes nothing (the frames below still match).
        check(!misuseOrOk { split.push(values, values.size + 1, channels) }) { "a push past the end was taken" }
        whole.forEachReady { fromWhole += "${it.index}:${it.toArray().toList()}:${it.contextSize}:${it.isFinal}" }
        whole.finish(padFinal)
        split.finish(padFinal)
        whole.forEachReady { fromWhole += "${it.index}:${it.toArray().toList()}:${it.contextSize}:${it.isFinal}" }
        split.forEachReady { fromSplit += "${it.index}:${it.toArray().toList()}:${it.contextSize}:${it.isFinal}" }
        check(fromWhole == fromSplit) { "re-framer: whole $fromWhole != split $fromSplit ($policy, x$channels)" }

        // PcmDecoder: fuzzer bytes, split anywhere, against one whole decode.
        val encoding = SampleEncoding.entries[data.consumeInt(0, 3)]
        val bytes = data.consumeBytes(2_000)
        val usable = bytes.size / (encoding.bytesPerValue * channels) * (encoding.bytesPerValue * channels)
        val expected = PcmDecoder(encoding, channels).decode(bytes, 0, usable)
        val decoder = PcmDecoder(encoding, channels)
        val got = ArrayList<Float>()
        var b = 0
        var k = 1
        while (b < usable) {
            val n = minOf(usable - b, k++ % 7)
            decoder.decode(bytes, b, n).forEach { got += it }
            b += n
        }
        decoder.finish()
        check(got.map { it.toRawBits() } == expected.map { it.toRawBits() }) { "decoder: split != whole ($encoding x$channels)" }
    }

    @FuzzTest(maxDuration = "30s")
    fun hostilePolicies(data: FuzzedDataProvider) {
        val answers = IntArray(8) { data.consumeInt() }
        val contexts = IntArray(8) { data.consumeInt() }
        val policy =
            object : ChunkPolicy {
                override fun newItems(
                    index: Long,
                    delivered: Long,
                ): Int = answers[(index % 8).toInt()]

                override fun contextSize(
                    index: Long,
                    delivered: Long,
                ): Int = contexts[(index % 8).toInt()]
            }
        val buffer = StreamBuffer<Int>("fuzz", "hostile", 0, policy)
        // A re-framer asks the policy for its first frame at once: a bad answer is refused there.
        var reframer: FloatReframer? = null
        misuseOrOk { reframer = FloatReframer(policy) }
        var ok = 0
        repeat(data.consumeInt(0, 200)) { i ->
            // Every bad answer fails at once with IllegalStateException (or is refused up front);
            // nothing else may escape, and the bounded loop proves nothing hangs.
            if (misuseOrOk { buffer.append(i) }) ok++
            misuseOrOk { while (buffer.hasChunkReady()) buffer.popChunk() }
            reframer?.let { r ->
                misuseOrOk { r.push(FloatArray(data.consumeInt(0, 64))) }
                misuseOrOk { while (r.hasFrame()) r.nextFrame() }
            }
        }
        misuseOrOk { buffer.signalDone() }
        misuseOrOk { while (buffer.hasChunkReady()) buffer.popChunk() }
        reframer?.let { r ->
            misuseOrOk { r.finish(true) }
            misuseOrOk { while (r.hasFrame()) r.nextFrame() }
        }
    }
}

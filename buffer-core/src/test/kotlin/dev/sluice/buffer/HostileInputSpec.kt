package dev.sluice.buffer

import dev.sluice.buffer.internal.ChunkCursor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.lang.management.ManagementFactory

/**
 * A policy of chunks of 2 that answers [bad] about chunk [badAt] the first [times] times it is
 * asked, then behaves: a flaky custom policy, as a hostile user would write. The buffer asks about
 * chunk k once when chunk k - 1 is delivered (a failure there is kept for later) and again when
 * chunk k is wanted, so `times = 2` makes the pop of chunk k fail once.
 */
private class FlakyPolicy(
    val badAt: Long,
    val bad: String,
    var times: Int = 1,
) : ChunkPolicy {
    override fun newItems(
        index: Long,
        delivered: Long,
    ): Int {
        if (index != badAt || times <= 0 || bad == "context") return 2
        times--
        return when (bad) {
            "throws" -> throw IllegalStateException("flaky")
            "zero" -> 0
            else -> -3
        }
    }

    override fun contextSize(
        index: Long,
        delivered: Long,
    ): Int {
        if (index != badAt || times <= 0 || bad != "context") return 0
        times--
        return delivered.toInt() + 5
    }

    override fun toString() = "FlakyPolicy($bad at $badAt)"
}

private fun usedHeap(): Long {
    repeat(3) {
        System.gc()
        Thread.sleep(30)
    }
    val rt = Runtime.getRuntime()
    return rt.totalMemory() - rt.freeMemory()
}

private fun threadAllocatedBytes(): Long =
    (ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean).getThreadAllocatedBytes(Thread.currentThread().id)

class HostileInputSpec :
    FunSpec({
        test("a padded final frame too large for the heap fails with a clear error, and the re-framer is as it was") {
            // About 8 GiB of floats: more than the test JVM's heap (a quarter of the machine's memory),
            // so the array is refused at once, which the fuzz target once found as an OutOfMemoryError.
            val reframer = FloatReframer(FixedChunkPolicy(Int.MAX_VALUE - 16))
            reframer.push(floatArrayOf(1f, 2f))
            reframer.finish(padFinal = true)
            val error = shouldThrow<IllegalStateException> { reframer.nextFrame() }
            error.message shouldContain "could not allocate"
            reframer.hasFrame() shouldBe true
            reframer.pushedFrames shouldBe 2L
        }

        context("a policy's bad answer about chunk k >= 1 loses nothing (defect 1)") {
            withData(listOf("throws", "zero", "negative", "context")) { bad ->
                val b = StreamBuffer<Int>(FlakyPolicy(badAt = 2, bad = bad, times = 2))
                for (i in 0 until 10) b.append(i)
                b.signalDone()
                val got = mutableListOf<Int>()
                got += b.popChunk().newItems
                got += b.popChunk().newItems // chunk 1 is delivered whole, although chunk 2 is asked about now
                val error = shouldThrow<IllegalStateException> { b.popChunk() }
                error.message shouldContain "chunk 2"
                while (b.hasChunkReady()) got += b.popChunk().newItems
                got shouldBe (0 until 10).toList()
                b.isFinished shouldBe true
            }

            for (kind in pcmKinds) {
                test("${kind.name}: the same, for frames") {
                    val r = kind.reframer(FlakyPolicy(badAt = 2, bad = "throws", times = 2))
                    kind.push(r, FloatArray(10) { it.toFloat() })
                    r.finish()
                    val got = mutableListOf<Float>()
                    repeat(2) { got += kind.values(r.nextFrame()) }
                    shouldThrow<IllegalStateException> { r.nextFrame() }.message shouldContain "chunk 2"
                    r.forEachReady { got += kind.values(it).drop(it.contextSize) }
                    got shouldBe (0 until 10).map { it.toFloat() }
                }
            }
        }

        test("a policy whose first frame cannot fit in one array fails at construction (not after gigabytes)") {
            shouldThrow<IllegalArgumentException> { FloatReframer(FixedChunkPolicy(Int.MAX_VALUE)) }.message shouldContain
                "more than the"
            shouldThrow<IllegalArgumentException> { ShortReframer(FixedChunkPolicy(1_500_000_000), channels = 2) }
        }

        test("the storage grows with the data, not to the policy's frame size at once") {
            val r = FloatReframer(FixedChunkPolicy(100_000_000))
            r.push(FloatArray(1024))
            val before = threadAllocatedBytes()
            r.push(FloatArray(1))
            val allocated = threadAllocatedBytes() - before
            allocated.toInt() shouldBeLessThan 64 * 1024 // the bug allocated 400 MB here
        }

        test("ids are remembered within a bounded window: memory stays flat over 10^7 puts (defect 10)") {
            val b = StreamBuffer<Int>(FixedChunkPolicy(1))
            for (i in 0 until 100_000) {
                b.put(i.toLong(), i)
                b.pollChunk()
            }
            val before = usedHeap()
            for (i in 100_000 until 10_000_000) {
                b.put(i.toLong(), i)
                b.pollChunk()
            }
            val grown = usedHeap() - before
            b.rememberedIds shouldBe StreamBuffer.ID_HISTORY
            b.retainedCount shouldBe 0
            (grown / 1_000_000).toInt() shouldBeLessThan 16 // the bug held about 650 MB here
            // Within the window a duplicate is still rejected; beyond it the id is forgotten.
            shouldThrow<IllegalArgumentException> { b.put(9_999_999L, 0) }.message shouldContain "already put"
            b.put(0L, 0)
        }

        test("chunk indices are Longs: a ramp policy goes past 2^31 chunks without loss (defect 11)") {
            val ramp = RampChunkPolicy(listOf(1, 2))
            ramp.newItems(3_000_000_000L, 0) shouldBe 2
            val cursor = ChunkCursor(ramp, firstIndex = Int.MAX_VALUE - 1L)
            repeat(3) { cursor.advance(cursor.nextNew, isFinal = false) }
            cursor.chunkIndex shouldBe Int.MAX_VALUE + 2L
            cursor.nextNew shouldBe 2
            cursor.delivered shouldBe 6
        }

        test("re-framer: pushing a frame's own array back is rejected, and nothing changes") {
            for (kind in pcmKinds) {
                val r = kind.reframer(FixedChunkPolicy(4))
                kind.push(r, FloatArray(8) { it.toFloat() })
                val f = r.nextFrame()
                val own = kind.storageOf(f)
                shouldThrow<IllegalArgumentException> {
                    when (r) {
                        is FloatReframer -> r.push(own as FloatArray, f.offset, f.length)
                        is ShortReframer -> r.push(own as ShortArray, f.offset, f.length)
                        is IntReframer -> r.push(own as IntArray, f.offset, f.length)
                    }
                }.message shouldContain "own storage"
                r.pushedFrames shouldBe 8
                kind.values(r.nextFrame()) shouldBe listOf(4f, 5f, 6f, 7f)
            }
        }

        test("re-framer: an offset past the array is blamed on the offset, not on the default length") {
            shouldThrow<IllegalArgumentException> { FloatReframer(FixedChunkPolicy(4)).push(FloatArray(4), offset = 6) }
                .message shouldContain "offset must be in 0..4"
        }

        test("requeue accepts only chunks this buffer popped") {
            val b = StreamBuffer<Int>(FixedChunkPolicy(1))
            val other = StreamBuffer<Int>(FixedChunkPolicy(1))
            b.append(1)
            b.append(2)
            other.append(1)
            val popped = b.popChunk()
            b.popChunk()
            shouldThrow<IllegalArgumentException> { b.requeue(StreamChunk(listOf(99), 0, 0, 0, false)) }.message shouldContain
                "not popped from this buffer"
            shouldThrow<IllegalArgumentException> { b.requeue(other.popChunk()) }
            b.requeue(popped)
            b.popChunk() shouldBe popped
        }

        test("ids are shown with their type: 1 and 1L are told apart") {
            val b = StreamBuffer<Int>("r", "e", 0, FixedChunkPolicy(1))
            b.preReadRegister(1L)
            b.put(1, 5)
            b.pendingIds.toString() shouldBe "['1' (Long)]"
            b.signalDone()
            shouldThrow<IllegalStateException> { b.put(2, 0) }.message shouldContain "'2' (Int)"
            b.toString() shouldContain "'1' (Long)"
        }

        test("forEachReady ends with a continueAfterDone policy: it never takes the endless empty chunks") {
            val b = StreamBuffer<Int>(FixedChunkPolicy(2, continueAfterDone = true))
            for (i in 0 until 5) b.append(i)
            b.signalDone()
            val got = mutableListOf<StreamChunk<Int>>()
            b.forEachReady { got += it }
            got.map { it.newItems } shouldBe listOf(listOf(0, 1), listOf(2, 3), listOf(4))
            got.none { it.isFinal } shouldBe true
            b.hasChunkReady() shouldBe true // the documented endless empty chunks are still there for pop
            val r = FloatReframer(FixedChunkPolicy(2, continueAfterDone = true))
            r.push(FloatArray(4))
            r.finish()
            var frames = 0
            r.forEachReady { frames++ }
            frames shouldBe 2
        }

        test("the policy-only constructor names default labels") {
            val b = StreamBuffer<Int>(FixedChunkPolicy(1))
            (b.requestId to b.edgeName) shouldBe (StreamBuffer.DEFAULT_REQUEST_ID to StreamBuffer.DEFAULT_EDGE_NAME)
            b.fromPartition shouldBe 0
        }

        test("long: a buffer of FixedChunkPolicy(1) passes 2^31 chunks (-Dsluice.stress=long)").config(
            enabled = System.getProperty("sluice.stress") == "long",
        ) {
            val b = StreamBuffer<Int>(FixedChunkPolicy(1))
            var n = 0L
            val end = Int.MAX_VALUE + 10L
            while (n < end) {
                b.append(1)
                val c = b.popChunk()
                check(c.index == n) { "chunk $n has index ${c.index}" }
                n++
            }
            b.signalDone()
            b.popChunk().index shouldBe end
            b.retainedCount shouldBeLessThanOrEqual 1
        }
    })

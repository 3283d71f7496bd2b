package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class SoakSpec :
    FunSpec({
        test("10^7 items through SlidingWindowChunkPolicy(28, 7) retain at most 28 items, in at most 2 storage segments, throughout") {
            val n = 10_000_000
            val buffer = StreamBuffer<Int>("soak", "talker->snac", 0, SlidingWindowChunkPolicy(28, 7))
            var maxRetained = 0
            var maxSegments = 0
            var next = 0L // the next new item the chunks must deliver
            var chunks = 0
            for (i in 0 until n) {
                buffer.append(i)
                maxRetained = maxOf(maxRetained, buffer.retainedCount)
                while (buffer.hasChunkReady()) {
                    val c = buffer.popChunk()
                    check(c.newStartOffset == next && c.newItems.first() == next.toInt()) { "chunk $c after $next" }
                    next += c.newItems.size
                    chunks++
                    maxRetained = maxOf(maxRetained, buffer.retainedCount)
                }
                maxSegments = maxOf(maxSegments, buffer.storedSegments)
            }
            buffer.signalDone()
            val last = buffer.popChunk()
            next += last.newItems.size
            maxRetained shouldBe 28
            // The items a chunk repeats plus at most one segment (DESIGN.md): 28 items straddle at most 2.
            maxSegments shouldBe 2
            next shouldBe n.toLong()
            last.isFinal shouldBe true
            chunks shouldBe 1 + (n - 28) / 7
        }
    })

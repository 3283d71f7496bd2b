package dev.sluice.buffer

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** What only the JVM can check; StreamBuffer's behaviour is in the common StreamBufferTest. */
class StreamBufferSpec :
    FunSpec({
        test("a popped chunk's items are a read-only view: a Java caller cannot add to them") {
            val b = StreamBuffer<Int>("r", "e", 0, SlidingWindowChunkPolicy(2, 1))
            (0 until 40).forEach(b::append)
            val first = b.popChunk()
            shouldThrow<UnsupportedOperationException> {
                @Suppress("UNCHECKED_CAST", "PLATFORM_CLASS_MAPPED_TO_KOTLIN")
                (first.items as java.util.List<Int>).add(5)
            }
            first.items shouldBe listOf(0, 1)
        }
    })

package dev.sluice.buffer

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

private val IAE = IllegalArgumentException::class.java
private val ISE = IllegalStateException::class.java

private fun buffer(policy: ChunkPolicy = FixedChunkPolicy(2)) = StreamBuffer<String>("req-7", "thinker->talker", 3, policy)

private fun StreamBuffer<String>.popAll(): List<StreamChunk<String>> = generateSequence { pollChunk() }.toList()

class StreamBufferSpec :
    FunSpec({
        context("ordering and arrival") {
            test("out of order: register a, b, c; put c, a, b; ready only after b arrives") {
                val b = buffer(FixedChunkPolicy(3))
                listOf("a", "b", "c").forEach(b::preReadRegister)
                b.put("c", "C")
                b.hasChunkReady() shouldBe false
                b.put("a", "A")
                b.hasChunkReady() shouldBe false
                b.pendingIds shouldBe listOf("b")
                b.put("b", "B")
                b.hasChunkReady() shouldBe true
                b.popChunk().items shouldBe listOf("A", "B", "C")
            }

            test("a registered id that never arrives holds the stream open") {
                val b = buffer(FixedChunkPolicy(2))
                b.preReadRegister("slow")
                b.append("x")
                b.append("y")
                b.signalDone()
                b.hasChunkReady() shouldBe false
                b.isFinished shouldBe false
                b.pendingIds shouldBe listOf("slow")
            }

            test("done before the reads finish: the stream still ends normally") {
                val b = buffer(FixedChunkPolicy(2))
                listOf("a", "b", "c").forEach(b::preReadRegister)
                b.put("a", "A")
                b.signalDone()
                b.hasChunkReady() shouldBe false
                b.put("c", "C")
                b.hasChunkReady() shouldBe false
                b.put("b", "B")
                b.popAll() shouldBe
                    listOf(
                        StreamChunk(listOf("A", "B"), 0, 0, 0, isFinal = false),
                        StreamChunk(listOf("C"), 1, 2, 0, isFinal = true),
                    )
                b.isFinished shouldBe true
            }

            test("an unregistered put takes the next slot") {
                val b = buffer(FixedChunkPolicy(3))
                b.preReadRegister("a")
                b.put("z", "Z")
                b.append("Y")
                b.put("a", "A")
                b.popChunk().items shouldBe listOf("A", "Z", "Y")
            }
        }

        context("every error names the request, the edge and the id, and changes nothing") {
            // Each case sets a buffer up, commits one misuse, then the stream goes on; its chunks
            // must equal those of the same stream without the misuse.
            data class Misuse(
                val name: String,
                val type: Class<out Throwable>,
                val text: String,
                val afterDone: Boolean,
                val act: (StreamBuffer<String>) -> Unit,
            ) {
                override fun toString() = name
            }

            fun setUp(
                b: StreamBuffer<String>,
                done: Boolean,
            ) {
                b.preReadRegister("a")
                b.preReadRegister("b")
                b.put("a", "A")
                b.put("x", "X")
                if (done) b.signalDone()
            }

            fun finish(b: StreamBuffer<String>): List<StreamChunk<String>> {
                b.put("b", "B")
                if (!b.isProducerDone) {
                    b.append("C")
                    b.signalDone()
                }
                return b.popAll()
            }

            withData(
                nameFn = { it.name },
                Misuse("registering an id twice", IAE, "id 'a' (String) was already registered", false) {
                    it.preReadRegister("a")
                },
                Misuse("registering an id that was put", IAE, "id 'x' (String) was already registered", false) {
                    it.preReadRegister("x")
                },
                Misuse("putting an id twice", IAE, "id 'a' (String) was already put", false) {
                    it.put("a", "again")
                },
                Misuse("putting an unregistered id twice", IAE, "id 'x' (String) was already put", false) {
                    it.put("x", "again")
                },
                Misuse("registering after done", ISE, "cannot register id 'n' (String) after signalDone()", true) {
                    it.preReadRegister("n")
                },
                Misuse("putting an unregistered id after done", ISE, "unregistered id 'n' (String) after", true) {
                    it.put("n", "N")
                },
                Misuse("appending after done", IllegalStateException::class.java, "cannot append (no id) after signalDone()", true) {
                    it.append("N")
                },
                Misuse("popping when no chunk is ready", NoSuchElementException::class.java, "no chunk is ready", false) {
                    it.popChunk()
                },
                Misuse("requeueing a chunk that was never popped", IllegalArgumentException::class.java, "cannot requeue chunk 5", false) {
                    it.requeue(StreamChunk(listOf("Q"), 5, 0, 0, false))
                },
            ) { misuse ->
                val clean = buffer().also { setUp(it, misuse.afterDone) }
                val expected = finish(clean)

                val b = buffer().also { setUp(it, misuse.afterDone) }
                val before = b.toString()
                val error = runCatching { misuse.act(b) }.exceptionOrNull()
                checkNotNull(error) { "no exception for ${misuse.name}" }
                error::class.java shouldBe misuse.type
                error.message!! shouldContain "request 'req-7', edge 'thinker->talker', partition 3"
                error.message!! shouldContain misuse.text
                b.toString() shouldBe before
                finish(b) shouldBe expected
            }
        }

        test("putting a registered, pending id after done is allowed") {
            val b = buffer()
            b.preReadRegister("late")
            b.signalDone()
            b.put("late", "L")
            b.popAll() shouldBe listOf(StreamChunk(listOf("L"), 0, 0, 0, isFinal = true))
        }

        test("signalDone twice is harmless") {
            val b = buffer()
            b.append("A")
            b.signalDone()
            b.signalDone()
            b.popAll().single().isFinal shouldBe true
        }

        test("hasChunkReady changes nothing a caller can observe") {
            val b = buffer(SlidingWindowChunkPolicy(3, 1))
            (0 until 5).forEach { b.append("$it") }
            val before = b.toString()
            repeat(5) { b.hasChunkReady() shouldBe true }
            b.toString() shouldBe before
            b.retainedCount shouldBe 5
        }

        context("requeue") {
            test("requeued chunks come out again first, in the order they were requeued") {
                val b = buffer(FixedChunkPolicy(1))
                (0 until 4).forEach { b.append("$it") }
                val c0 = b.popChunk()
                val c1 = b.popChunk()
                b.requeue(c1)
                b.requeue(c0)
                b.popChunk() shouldBe c1
                b.popChunk() shouldBe c0
                b.popChunk().items shouldBe listOf("2")
            }

            test("a requeued final chunk un-finishes the stream until it is popped again") {
                val b = buffer()
                b.append("A")
                b.signalDone()
                val last = b.popChunk()
                b.isFinished shouldBe true
                b.requeue(last)
                b.isFinished shouldBe false
                b.hasChunkReady() shouldBe true
                b.popChunk() shouldBe last
                b.isFinished shouldBe true
            }

            test("requeueing the same chunk twice fails and changes nothing") {
                val b = buffer(FixedChunkPolicy(1))
                b.append("A")
                val c = b.popChunk()
                b.requeue(c)
                shouldThrow<IllegalArgumentException> { b.requeue(c) }.message shouldContain "chunk 0 is already requeued"
                b.popChunk() shouldBe c
                b.pollChunk() shouldBe null
            }
        }

        context("memory") {
            withData<ChunkPolicy>(
                nameFn = { "retention under $it" },
                LeftContextChunkPolicy(4, 3),
                SlidingWindowChunkPolicy(28, 7),
                RampChunkPolicy(listOf(1, 5), 2),
                FixedChunkPolicy(8),
            ) { policy ->
                val b = StreamBuffer<Int>("r", "e", 0, policy)
                var delivered = 0L
                repeat(500) { i ->
                    b.append(i)
                    while (b.hasChunkReady()) delivered += b.popChunk().newItems.size
                    // Undelivered items plus at most the next chunk's context.
                    val bound = (i + 1 - delivered) + maxOf(3, 21, 2)
                    check(b.retainedCount <= bound) { "retained ${b.retainedCount} > $bound" }
                }
                // After a pop, exactly the next chunk's context plus the undelivered items remain.
                val context =
                    when (policy) {
                        is LeftContextChunkPolicy -> 3
                        is SlidingWindowChunkPolicy -> 21
                        is RampChunkPolicy -> 2
                        else -> 0
                    }
                b.retainedCount.toLong() shouldBe (500 - delivered) + context
            }

            test("items are immutable snapshots: later puts do not change a popped chunk") {
                val b = StreamBuffer<Int>("r", "e", 0, SlidingWindowChunkPolicy(2, 1))
                (0 until 40).forEach(b::append)
                val first = b.popChunk()
                repeat(30) { b.popChunk() }
                (40 until 100).forEach(b::append)
                first.items shouldBe listOf(0, 1)
                shouldThrow<UnsupportedOperationException> {
                    @Suppress("UNCHECKED_CAST", "PLATFORM_CLASS_MAPPED_TO_KOTLIN")
                    (first.items as java.util.List<Int>).add(5)
                }
            }
        }
    })

package dev.sluice.grpc

import com.google.protobuf.ByteString
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.SlidingWindowChunkPolicy
import dev.sluice.buffer.StreamChunk
import dev.sluice.grpc.internal.EdgeFrame
import dev.sluice.grpc.internal.EdgeReply
import dev.sluice.grpc.internal.SluiceEdgeGrpcKt
import dev.sluice.grpc.internal.done
import dev.sluice.grpc.internal.edgeFrame
import dev.sluice.grpc.internal.edgeKey
import dev.sluice.grpc.internal.item
import dev.sluice.grpc.internal.open
import io.grpc.Channel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.random.Random

private fun key(name: String = "e") = EdgeKey("req-1", name, 0)

/** A producer that writes raw frames, to send what an honest [EdgeSender] never would. */
private suspend fun rawFrames(
    channel: Channel,
    frames: List<EdgeFrame>,
): List<EdgeReply> = SluiceEdgeGrpcKt.SluiceEdgeCoroutineStub(channel).edge(flow { frames.forEach { emit(it) } }).toList()

private fun open(
    k: EdgeKey,
    epoch: Long,
) = edgeFrame {
    open =
        open {
            key =
                edgeKey {
                    request = k.request
                    edge = k.edge
                    partition = k.partition
                }
            this.epoch = epoch
            window = 16
        }
}

private fun item(
    seq: Long,
    value: String,
) = edgeFrame {
    this.seq = seq
    item = item { payload = ByteString.copyFromUtf8(value) }
}

class EdgeSpec :
    FunSpec({
        test("the out-of-order example across the wire: slots reserved in order, the empty final chunk") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(2) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val chunks = async { receiver.chunks(key()).toList() }
                    val sender = EdgeSender(net.channel, key(), EdgeCodec.STRING)
                    sender.register("a")
                    sender.register("b")
                    sender.put("b", "world") // arrives first, waits for "a"
                    sender.put("a", "hello")
                    sender.done()
                    val got = withTimeout(10_000) { chunks.await() }
                    got.map { it.items } shouldBe listOf(listOf("hello", "world"), emptyList())
                    got.map { it.isFinal } shouldBe listOf(false, true)
                    sender.connections shouldBe 1
                }
            }
        }

        test("random register/put/append/done interleavings: the new items equal the input, one final chunk") {
            val random = Random(11)
            repeat(40) { round ->
                val policy =
                    if (round % 2 ==
                        0
                    ) {
                        FixedChunkPolicy(1 + random.nextInt(5))
                    } else {
                        SlidingWindowChunkPolicy(4, 1 + random.nextInt(4))
                    }
                val receiver = EdgeReceiver(EdgeCodec.INT, { policy }, chunkCapacity = 1 + random.nextInt(4))
                InProcess(receiver).use { net ->
                    runBlocking(Dispatchers.Default) {
                        val k = key("p$round")
                        val chunks = async { receiver.chunks(k).toList() }
                        val sender = EdgeSender(net.channel, k, EdgeCodec.INT, window = 1 + random.nextInt(8))
                        // Plan: n slots in order; some registered ahead and filled later, out of order.
                        val n = random.nextInt(0, 30)
                        val registered = mutableListOf<Int>()
                        var registeredDone = false
                        for (slot in 0 until n) {
                            if (random.nextBoolean()) {
                                sender.register("id$slot")
                                registered += slot
                            } else {
                                if (random.nextInt(3) == 0) sender.append(slot) else sender.put("x$slot", slot)
                            }
                            // Sometimes fill a registered slot now, in a random order.
                            if (registered.isNotEmpty() && random.nextInt(3) == 0) {
                                val s = registered.removeAt(random.nextInt(registered.size))
                                sender.put("id$s", s)
                            }
                        }
                        // Done may come before the last registered slots are filled.
                        if (random.nextBoolean()) {
                            launch { sender.done() }
                            registeredDone = true
                        }
                        registered.shuffled(random).forEach { sender.put("id$it", it) }
                        if (!registeredDone) sender.done()
                        val got = withTimeout(20_000) { chunks.await() }
                        got.flatMap { it.newItems } shouldBe (0 until n).toList()
                        got.count { it.isFinal } shouldBe 1
                        got.last().isFinal shouldBe true
                    }
                }
            }
        }

        test("done after the last full chunk was popped gives the empty final chunk") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(2) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val chunks = mutableListOf<StreamChunk<String>>()
                    val collector = launch { receiver.chunks(key()).collect { chunks += it } }
                    val sender = EdgeSender(net.channel, key(), EdgeCodec.STRING)
                    sender.append("a")
                    sender.append("b")
                    withTimeout(10_000) { while (chunks.isEmpty()) delay(5) } // the full chunk was popped
                    chunks.single().isFinal shouldBe false
                    sender.done()
                    withTimeout(10_000) { collector.join() }
                    chunks.map { it.items } shouldBe listOf(listOf("a", "b"), emptyList())
                    chunks.last().isFinal shouldBe true
                }
            }
        }

        test("a wrong done count fails the edge, with no final chunk") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val chunks = mutableListOf<StreamChunk<String>>()
                    val collected = async { runCatching { receiver.chunks(key()).collect { chunks += it } }.exceptionOrNull() }
                    val replies =
                        rawFrames(
                            net.channel,
                            listOf(
                                open(key(), 7),
                                item(1, "a"),
                                item(2, "b"),
                                edgeFrame {
                                    seq = 3
                                    done = done { count = 3 }
                                },
                            ),
                        )
                    val error = withTimeout(10_000) { collected.await() }
                    (error is EdgeCountMismatchException) shouldBe true
                    (error as EdgeCountMismatchException).declared shouldBe 3
                    error.delivered shouldBe 2
                    chunks.none { it.isFinal } shouldBe true
                    replies.last().failure.message shouldContain "declared 3 items"
                }
            }
        }

        test("a gap in the sequence and a restarted producer (a new epoch) fail the edge, typed") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val gap = async { runCatching { receiver.chunks(key("gap")).toList() }.exceptionOrNull() }
                    rawFrames(net.channel, listOf(open(key("gap"), 1), item(1, "a"), item(3, "c")))
                    (withTimeout(10_000) { gap.await() } as EdgeProtocolException).message!! shouldContain "a gap in the sequence"

                    val epoch = async { runCatching { receiver.chunks(key("epoch")).toList() }.exceptionOrNull() }
                    rawFrames(net.channel, listOf(open(key("epoch"), 1), item(1, "a")))
                    val replies = rawFrames(net.channel, listOf(open(key("epoch"), 2), item(1, "a")))
                    val e = withTimeout(10_000) { epoch.await() } as EdgeEpochException
                    e.expected shouldBe 1
                    e.actual shouldBe 2
                    replies.last().failure.message shouldContain "the producer restarted"
                }
            }
        }

        test("a producer failure arrives after the chunks already queued") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(2) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val chunks = mutableListOf<StreamChunk<String>>()
                    val collected = async { runCatching { receiver.chunks(key()).collect { chunks += it } }.exceptionOrNull() }
                    val sender = EdgeSender(net.channel, key(), EdgeCodec.STRING)
                    listOf("a", "b", "c", "d", "e").forEach { sender.append(it) }
                    sender.fail("the talker crashed")
                    val error = withTimeout(10_000) { collected.await() }
                    chunks.map { it.items } shouldBe listOf(listOf("a", "b"), listOf("c", "d"))
                    (error as EdgeFailedException).remoteMessage shouldBe "the talker crashed"
                    shouldThrow<IllegalStateException> { sender.append("f") }
                }
            }
        }

        test("cancel reaches the other side, in both directions") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    // The producer cancels: the consumer's flow ends with EdgeCancelledException.
                    val collected = async { runCatching { receiver.chunks(key("p")).toList() }.exceptionOrNull() }
                    val producer = EdgeSender(net.channel, key("p"), EdgeCodec.STRING)
                    producer.append("a")
                    producer.cancel("the user hung up")
                    (withTimeout(10_000) { collected.await() } as EdgeCancelledException).reason shouldBe "the user hung up"

                    // The consumer stops after one chunk: the producer's next calls throw EdgeCancelledException.
                    val first = async { receiver.chunks(key("c")).take(1).toList() }
                    val sender = EdgeSender(net.channel, key("c"), EdgeCodec.STRING, window = 4)
                    val error =
                        withTimeout(10_000) {
                            runCatching {
                                var i = 0
                                while (true) sender.append("item ${i++}")
                            }.exceptionOrNull()
                        }
                    first.await().single().items shouldBe listOf("item 0")
                    (error is EdgeCancelledException) shouldBe true
                    shouldThrow<EdgeCancelledException> { sender.done() }
                }
            }
        }

        test("a producer's cancel or failure is never answered by a consumer cancel (a race seen once in CI)") {
            // The consumer's flow ends when the producer cancels or fails; its end must not look like
            // the consumer stopping, which would cancel the producer before the producer's own ack.
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) })
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    repeat(300) { round ->
                        val k = key("race-$round")
                        val collected = async { runCatching { receiver.chunks(k).toList() }.exceptionOrNull() }
                        val producer = EdgeSender(net.channel, k, EdgeCodec.STRING)
                        producer.append("a")
                        val outcome = runCatching { if (round % 2 == 0) producer.cancel("bye") else producer.fail("boom") }
                        outcome.exceptionOrNull() shouldBe null
                        val seen = withTimeout(10_000) { collected.await() }
                        (if (round % 2 == 0) seen is EdgeCancelledException else seen is EdgeFailedException) shouldBe true
                    }
                }
            }
        }

        test("a consumer that stops popping suspends the producer; reading again lets it finish") {
            val receiver = EdgeReceiver(EdgeCodec.INT, { FixedChunkPolicy(1) }, chunkCapacity = 2)
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val sender = EdgeSender(net.channel, key(), EdgeCodec.INT, window = 8)
                    var sent = 0
                    val producer =
                        launch {
                            repeat(1_000) {
                                sender.append(it)
                                sent++
                            }
                            sender.done()
                        }
                    delay(500) // a bounded wait: nobody reads
                    val stalled = sent
                    (stalled < 100) shouldBe true // the window (8) plus the queue (2) plus what gRPC buffers
                    producer.isActive shouldBe true
                    val all = withTimeout(20_000) { receiver.chunks(key()).toList() }
                    withTimeoutOrNull(10_000) { producer.join() } shouldBe Unit
                    all.flatMap { it.newItems } shouldBe (0 until 1_000).toList()
                }
            }
        }

        test("a producer that does not come back within the resume window fails the edge, typed, with no final chunk") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) }, resumeWindowMillis = 200)
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val chunks = mutableListOf<StreamChunk<String>>()
                    val collected = async { runCatching { receiver.chunks(key()).collect { chunks += it } }.exceptionOrNull() }
                    // The call ends after one item, with no done: a dropped producer.
                    rawFrames(net.channel, listOf(open(key(), 3), item(1, "a")))
                    val error = withTimeout(10_000) { collected.await() } // a bounded wait, far above 200 ms
                    (error is EdgeDisconnectedException) shouldBe true
                    error!!.message!! shouldContain "did not reconnect within 200 ms"
                    chunks.map { it.items } shouldBe listOf(listOf("a"))
                    chunks.none { it.isFinal } shouldBe true
                }
            }
        }

        test("an edge has one collector; a second one is refused") {
            val receiver = EdgeReceiver(EdgeCodec.STRING, { FixedChunkPolicy(1) })
            runBlocking(Dispatchers.Default) {
                // Undispatched: the first collector has claimed the edge before launch returns.
                val first = launch(start = kotlinx.coroutines.CoroutineStart.UNDISPATCHED) { receiver.chunks(key()).collect {} }
                val e = shouldThrow<IllegalStateException> { withTimeout(10_000) { receiver.chunks(key()).toList() } }
                e.message!! shouldContain "already has a collector"
                first.cancel()
            }
        }

        test("a send cancelled while it waits for room (a timeout) adds nothing; the edge still ends exactly") {
            val receiver = EdgeReceiver(EdgeCodec.INT, { FixedChunkPolicy(1) }, chunkCapacity = 1)
            InProcess(receiver).use { net ->
                runBlocking(Dispatchers.Default) {
                    val sender = EdgeSender(net.channel, key(), EdgeCodec.INT, window = 2)
                    var sent = 0
                    var timedOut = 0
                    // Nobody reads: the window fills, and each append then times out.
                    while (timedOut < 3) {
                        val ok = withTimeoutOrNull(100) { sender.append(sent) }
                        if (ok == null) timedOut++ else sent++
                    }
                    val all = async { receiver.chunks(key()).toList() }
                    withTimeout(10_000) {
                        sender.append(sent++)
                        sender.done()
                    }
                    withTimeout(10_000) { all.await() }.flatMap { it.newItems } shouldBe (0 until sent).toList()
                }
            }
        }

        test("bad arguments are rejected at once") {
            shouldThrow<IllegalArgumentException> { EdgeReceiver(EdgeCodec.INT, { FixedChunkPolicy(1) }, chunkCapacity = 0) }
            InProcess().use { net ->
                shouldThrow<IllegalArgumentException> { EdgeSender(net.channel, key(), EdgeCodec.INT, window = 0) }
                val sender = EdgeSender(net.channel, key(), EdgeCodec.STRING)
                runBlocking { shouldThrow<IllegalArgumentException> { sender.put("", "x") } }
                sender.close()
            }
        }
    })

package dev.sluice.audio

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlin.concurrent.thread
import kotlin.random.Random

class ProducerThreadSpec :
    FunSpec({
        test("a plain generation thread feeds consumer coroutines: every chunk once, in order, nothing lost at the tail") {
            val batchSize = 4
            val streamer = AsyncAudioStreamer(batchSize = batchSize, capacity = 8)
            val random = Random(42)
            val lengths = List(batchSize) { 50 + random.nextInt(200) }
            val generator =
                thread(name = "generation") {
                    var step = 0
                    while (true) {
                        val active = (0 until batchSize).filter { step < lengths[it] }
                        if (active.isEmpty()) break
                        streamer.put(active.map { i -> FloatArray(480) { step * 10f + i } }, active.toIntArray())
                        // A sample finishes when its text does: end it then, not at the end of the batch.
                        active.filter { step + 1 == lengths[it] }.forEach { streamer.end(intArrayOf(it)) }
                        step++
                    }
                }
            val received =
                runBlocking {
                    withTimeout(60_000) {
                        (0 until batchSize)
                            .map { i -> async(Dispatchers.Default) { streamer.stream(i).toList() } }
                            .awaitAll()
                    }
                }
            generator.join(60_000)
            received.forEachIndexed { i, chunks ->
                chunks.size shouldBe lengths[i]
                chunks.map { it.index } shouldBe (0L until lengths[i]).toList()
                chunks.map { it.samples[0] } shouldBe (0 until lengths[i]).map { it * 10f + i }
                chunks.map { it.startOffset } shouldBe (0 until lengths[i]).map { it * 480L }
            }
            streamer.droppedChunks shouldBe 0
        }
    })

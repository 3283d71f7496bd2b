package dev.sluice.audio

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ConcurrentHashMap
import kotlin.concurrent.thread
import kotlin.random.Random

/** Whether the long stress runs were asked for with `-Dsluice.stress=long`. */
val longStress: Boolean get() = System.getProperty("sluice.stress") == "long"

class StressSpec :
    FunSpec({
        test("8 producer threads, 16 samples, consumers that cancel at random: nothing lost, nothing duplicated") {
            val rounds = if (longStress) 10 else 1
            val total = if (longStress) 1_000_000 else 100_000
            repeat(rounds) { round -> stressRound(seed = round.toLong(), total = total) }
        }
    })

private fun stressRound(
    seed: Long,
    total: Int,
) {
    val producers = 8
    val samples = 16
    val perSample = total / samples
    val random = Random(seed)
    val streamer = AsyncAudioStreamer(batchSize = samples, capacity = 16)
    // A third of the samples stop early: half by taking a prefix, half by a cancel from a producer thread.
    val plan = IntArray(samples) { random.nextInt(3) } // 0: to the end, 1: take(n), 2: job cancelled
    val takeCount = IntArray(samples) { random.nextInt(1, perSample) }
    val cancelAtStep = IntArray(samples) { random.nextInt(1, perSample) }
    val received = Array(samples) { mutableListOf<Int>() }
    val jobs = ConcurrentHashMap<Int, Job>()

    runBlocking {
        withTimeout(120_000) {
            val consumers =
                (0 until samples).map { i ->
                    launch(Dispatchers.Default) {
                        val flow = streamer.stream(i).onEach { received[i] += it.samples[0].toInt() }
                        if (plan[i] == 1) flow.take(takeCount[i]).collect() else flow.collect()
                    }.also { jobs[i] = it }
                }
            val threads =
                (0 until producers).map { p ->
                    thread(name = "producer-$p") {
                        val mine = (0 until samples).filter { it % producers == p }
                        for (step in 0 until perSample) {
                            streamer.put(mine.map { floatArrayOf(step.toFloat()) }, mine.toIntArray())
                            for (i in mine) if (plan[i] == 2 && step == cancelAtStep[i]) jobs.getValue(i).cancel()
                        }
                        streamer.end(mine.toIntArray())
                    }
                }
            consumers.joinAll()
            threads.forEach { it.join(60_000) }
            threads.forEach { check(!it.isAlive) { "${it.name} is stuck" } }
        }
    }

    for (i in 0 until samples) {
        val got = received[i]
        // A prefix of the sample's chunks, in order, each once.
        got shouldBe (0 until got.size).toList()
        if (streamer.isCancelled(i)) {
            (got.size + streamer.droppedChunks(i)) shouldBe perSample.toLong()
        } else {
            got.size shouldBe perSample
            streamer.droppedChunks(i) shouldBe 0L
        }
        if (plan[i] == 0) streamer.isCancelled(i) shouldBe false
        if (plan[i] == 1) got.size shouldBe takeCount[i]
    }
    streamer.queuedChunks shouldBe 0
}

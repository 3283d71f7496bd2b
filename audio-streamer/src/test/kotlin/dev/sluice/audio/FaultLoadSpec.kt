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
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread
import kotlin.random.Random
import kotlin.time.Duration.Companion.milliseconds

/** What each sample of the fault run goes through. */
private enum class Fault { NONE, TAKE, CANCEL_JOB, QUIET, FAILED_STREAMER }

/**
 * Faults under load: 8 producer threads feed 64 samples (4 streamers of 16) while consumers
 * cancel, time out and stop early, one streamer fails, a chaos thread interrupts blocked
 * producers, and a cancellation listener throws an OutOfMemoryError-like error.
 */
class FaultLoadSpec :
    FunSpec({
        test("8 producers, 64 samples, every fault at once: exact accounting, no thread or coroutine left") {
            val rounds = if (longStress) 5 else 1
            repeat(rounds) { faultRound(seed = 100L + it) }
        }
    })

private fun faultRound(seed: Long) {
    val random = Random(seed)
    val streamers = List(4) { AsyncAudioStreamer(batchSize = 16, capacity = 4, timeout = 1_500.milliseconds) }
    val samples = 64
    val steps = 2_000

    fun streamerOf(s: Int) = streamers[s / 16]

    fun indexOf(s: Int) = s % 16

    // Streamer 3 fails mid-way; the others see consumer-side faults.
    val plan = Array(samples) { s -> if (s / 16 == 3) Fault.FAILED_STREAMER else Fault.entries[random.nextInt(4)] }
    val takeCount = IntArray(samples) { random.nextInt(1, steps) }
    val cancelAt = IntArray(samples) { random.nextInt(1, steps) }
    val quietAt = IntArray(samples) { random.nextInt(1, steps) }
    val failAt = random.nextInt(100, steps)
    val produced = Array(samples) { AtomicLong() }
    val received = Array(samples) { Collections.synchronizedList(mutableListOf<Int>()) }
    val outcome = arrayOfNulls<Throwable>(samples)
    val jobs = ConcurrentHashMap<Int, Job>()
    val interrupted = AtomicInteger()

    // One listener throws an Error on every cancel; the one registered after it must still hear each.
    val heard = Array(streamers.size) { Collections.synchronizedSet(mutableSetOf<Int>()) }
    val uncaught = Collections.synchronizedList(mutableListOf<Throwable>())
    val previousHandler = Thread.getDefaultUncaughtExceptionHandler()
    Thread.setDefaultUncaughtExceptionHandler { _, e -> uncaught += e }
    streamers.forEachIndexed { k, streamer ->
        streamer.addCancellationListener { throw OutOfMemoryError("simulated, from a listener") }
        streamer.addCancellationListener { heard[k].add(it) }
    }

    try {
        runBlocking {
            withTimeout(120_000) {
                val consumers =
                    (0 until samples).map { s ->
                        launch(Dispatchers.Default) {
                            val flow = streamerOf(s).stream(indexOf(s)).onEach { received[s].add(it.samples[0].toInt()) }
                            try {
                                if (plan[s] == Fault.TAKE) flow.take(takeCount[s]).collect() else flow.collect()
                            } catch (e: AudioStreamTimeoutException) {
                                outcome[s] = e
                            } catch (e: IllegalStateException) {
                                outcome[s] = e
                            }
                        }.also { jobs[s] = it }
                    }
                val producers =
                    (0 until 8).map { p ->
                        thread(name = "fault-producer-$p") {
                            val mine = (0 until samples).filter { it % 8 == p }
                            for (step in 0 until steps) {
                                for (s in mine) {
                                    if (plan[s] == Fault.QUIET && step >= quietAt[s]) continue // goes quiet: the consumer times out
                                    while (true) {
                                        try {
                                            streamerOf(s).put(floatArrayOf(step.toFloat()), indexOf(s))
                                            produced[s].incrementAndGet()
                                            break
                                        } catch (e: InterruptedException) {
                                            interrupted.incrementAndGet() // nothing was enqueued: try again
                                        }
                                    }
                                    if (plan[s] == Fault.CANCEL_JOB && step == cancelAt[s]) jobs.getValue(s).cancel()
                                }
                                if (p == 0 && step == failAt) streamers[3].fail(IllegalStateException("the model crashed"))
                            }
                            for (s in mine) if (plan[s] != Fault.QUIET) streamerOf(s).end(intArrayOf(indexOf(s)))
                            Thread.interrupted() // clear a late interrupt
                        }
                    }
                val chaos =
                    thread(name = "fault-chaos") {
                        val r = Random(seed)
                        while (producers.any { it.isAlive }) {
                            producers[r.nextInt(producers.size)].interrupt()
                            Thread.sleep(3)
                        }
                    }
                consumers.joinAll()
                producers.forEach { it.join(60_000) }
                chaos.join(10_000)
                producers.forEach { check(!it.isAlive) { "${it.name} is stuck" } }
            }
        }
    } finally {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler)
    }

    for (s in 0 until samples) {
        val streamer = streamerOf(s)
        val i = indexOf(s)
        val got = received[s].toList()
        // A prefix of what was produced, in order, each once; the rest was dropped and counted.
        got shouldBe (0 until got.size).toList()
        (got.size + streamer.droppedChunks(i)) shouldBe produced[s].get()
        when (plan[s]) {
            Fault.NONE -> {
                streamer.isCancelled(i) shouldBe false
                got.size shouldBe steps
            }
            Fault.TAKE -> got.size shouldBe takeCount[s]
            Fault.CANCEL_JOB -> streamer.isCancelled(i) shouldBe true
            Fault.QUIET -> {
                (outcome[s] is AudioStreamTimeoutException) shouldBe true
                streamer.isCancelled(i) shouldBe true
            }
            Fault.FAILED_STREAMER -> outcome[s]?.message shouldBe "the model crashed"
        }
    }
    streamers.forEach { it.queuedChunks shouldBe 0 }
    // Every cancelled sample was heard by the listener after the throwing one, once per sample.
    streamers.forEachIndexed { k, streamer -> heard[k] shouldBe (0 until 16).filter { streamer.isCancelled(it) }.toSet() }
    // The thrown errors went to the uncaught-exception handler of the thread that cancelled, one per cancel.
    uncaught.size shouldBe heard.sumOf { it.size }
    uncaught.all { it is OutOfMemoryError && it.message == "simulated, from a listener" } shouldBe true
    println(
        "FaultLoadSpec seed $seed: ${plan.groupingBy { it }.eachCount()}, ${produced.sumOf { it.get() }} chunks produced, " +
            "${received.sumOf { it.size }} received, ${streamers.sumOf { it.droppedChunks }} dropped, " +
            "${interrupted.get()} interrupted puts, ${uncaught.size} listener errors",
    )
    Thread.getAllStackTraces().keys.none { it.name.startsWith("fault-") && it.isAlive } shouldBe true
}

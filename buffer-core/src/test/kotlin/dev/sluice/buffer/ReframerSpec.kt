package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.lang.management.ManagementFactory
import kotlin.random.Random

private fun threadAllocatedBytes(): Long {
    val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    return bean.getThreadAllocatedBytes(Thread.currentThread().id)
}

/** What only the JVM can measure; the behaviour of the re-framers is in the common ReframerTest. */
class ReframerSpec :
    FunSpec({
        for (kind in pcmKinds) {
            context(kind.name) {
                test("in steady state nothing is allocated per push or per frame") {
                    val random = Random(5)
                    val bursts = IntArray(4096) { random.nextInt(1, 4097) }
                    val source = FloatArray(4096) { it.toFloat() }
                    val reframer = kind.reframer(FixedChunkPolicy(480))
                    var sink = 0L

                    fun run(rounds: Int) {
                        repeat(rounds) {
                            for (b in bursts) {
                                kind.push(reframer, source, 0, b)
                                reframer.forEachReady { sink += it.offset }
                            }
                        }
                    }
                    kind.push(reframer, source) // the largest burst: the storage reaches its size
                    reframer.forEachReady { }
                    run(2) // warm up the JIT
                    kind.push(reframer, source, 0, 480)
                    val storage = kind.storageOf(reframer.nextFrame())
                    val before = threadAllocatedBytes()
                    run(3)
                    val allocated = threadAllocatedBytes() - before
                    // 3 * 4096 pushes and about 52,000 frames: far less than one object per 10 operations.
                    check(allocated < 4096) { "allocated $allocated bytes in steady state" }
                    kind.push(reframer, source, 0, 480)
                    (kind.storageOf(reframer.nextFrame()) === storage) shouldBe true
                    check(
                        java.lang.reflect.Array
                            .getLength(storage) <= 4096 + 2 * 480,
                    ) { "storage grew" }
                    (sink >= 0) shouldBe true
                }
            }
        }
    })

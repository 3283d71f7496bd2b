package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.lang.management.ManagementFactory
import kotlin.random.Random

private fun threadAllocatedBytes(): Long {
    val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    return bean.getThreadAllocatedBytes(Thread.currentThread().id)
}

/** What only the JVM can measure; PcmDecoder's behaviour is in the common PcmDecoderTest. */
class PcmDecoderSpec :
    FunSpec({
        for (encoding in SampleEncoding.entries) {
            test("$encoding: decodeInto allocates nothing per chunk in steady state") {
                val random = Random(9)
                val source = random.nextBytes(8_192)
                val splits = IntArray(2_048) { random.nextInt(1, 4_097) }
                val decoder = PcmDecoder(encoding, channels = 2)
                val floats = FloatArray(4_096)
                val shorts = ShortArray(4_096)
                var sink = 0L

                fun run(rounds: Int) {
                    repeat(rounds) {
                        for (n in splits) {
                            sink += decoder.decodeInto(source, 0, n, floats)
                            sink += decoder.decodeShortsInto(source, 0, n, shorts)
                        }
                    }
                }
                run(3) // warm up the JIT
                val before = threadAllocatedBytes()
                run(3)
                val allocated = threadAllocatedBytes() - before
                // 12,288 decodes: far less than one object per 100 calls.
                check(allocated < 4_096) { "allocated $allocated bytes in steady state" }
                (sink > 0) shouldBe true
            }
        }

        test("decoding straight into a re-framer allocates nothing per chunk in steady state") {
            val random = Random(3)
            val source = random.nextBytes(8_192)
            val splits = IntArray(2_048) { random.nextInt(1, 4_097) }
            val decoder = PcmDecoder(SampleEncoding.S16_BE, channels = 1)
            val reframer = FloatReframer(FixedChunkPolicy(320))
            var sink = 0.0

            fun run(rounds: Int) {
                repeat(rounds) {
                    for (n in splits) {
                        reframer.push(decoder, source, 0, n)
                        reframer.forEachReady { sink += it.array[it.offset] }
                    }
                }
            }
            run(3)
            val before = threadAllocatedBytes()
            run(3)
            val allocated = threadAllocatedBytes() - before
            check(allocated < 4_096) { "allocated $allocated bytes in steady state" }
            (sink != 0.0) shouldBe true
        }
    })

package dev.sluice.audio

import dev.sluice.buffer.SampleEncoding
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlin.random.Random

class DecodePcmSpec :
    FunSpec({
        test("chunks split anywhere decode to the whole stream's values, then re-frame exactly") {
            val random = Random(3)
            val bytes = random.nextBytes(2 * 2 * 1_000) // 1,000 stereo frames of 16 bits, big-endian
            var at = 0
            val chunks = mutableListOf<ByteArray>()
            while (at < bytes.size) {
                val n = minOf(bytes.size - at, random.nextInt(1, 700))
                chunks += bytes.copyOfRange(at, at + n)
                at += n
            }
            val whole = runBlocking { flowOf(bytes).decodePcm(SampleEncoding.S16_BE, 2).toList() }.single()
            val split = runBlocking { chunks.asFlow().decodePcm(SampleEncoding.S16_BE, 2).toList() }
            split.flatMap { it.toList() } shouldBe whole.toList()
            split.forEach { (it.size % 2) shouldBe 0 }
        }

        test("a truncated byte stream fails the flow, naming the bytes left over") {
            val error =
                shouldThrow<IllegalStateException> {
                    runBlocking { flowOf(ByteArray(5)).decodePcm(SampleEncoding.F32_LE).toList() }
                }
            error.message!! shouldContain "1 byte left over of a 4-byte frame"
        }

        test("channels < 1 is rejected at once") {
            shouldThrow<IllegalArgumentException> { flowOf(ByteArray(2)).decodePcm(SampleEncoding.S16_LE, 0) }.message shouldBe
                "channels must be >= 1, was 0"
        }
    })

package dev.sluice.audio

import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.LeftContextChunkPolicy
import dev.sluice.buffer.StreamChunk
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest

/** The bursts as the chunks a streamer would give sample [sample]: indices and positions in order. */
private fun List<FloatArray>.asChunks(
    sample: Int = 3,
    channels: Int = 1,
): Flow<AudioChunk> {
    var offset = 0L
    return mapIndexed { k, burst -> AudioChunk(sample, k.toLong(), burst, offset).also { offset += burst.size / channels } }.asFlow()
}

class OperatorsSpec :
    FunSpec({
        context("chunked") {
            test("the end of the upstream flow is signalDone: the tail is never lost") {
                runTest {
                    (0 until 10).asFlow().chunked(LeftContextChunkPolicy(4, 2)).toList() shouldBe
                        listOf(
                            StreamChunk((0..3).toList(), 0, 0, 0, false),
                            StreamChunk((2..7).toList(), 1, 2, 2, false),
                            StreamChunk((6..9).toList(), 2, 6, 2, true),
                        )
                }
            }

            test("an exact multiple ends with the empty final chunk, so the consumer learns the end") {
                runTest {
                    val chunks = (0 until 6).asFlow().chunked(FixedChunkPolicy(3)).toList()
                    chunks.map { it.items.size to it.isFinal } shouldBe listOf(3 to false, 3 to false, 0 to true)
                }
            }

            test("an empty flow yields one empty final chunk") {
                runTest { emptyFlow<Int>().chunked(FixedChunkPolicy(3)).toList() shouldBe listOf(StreamChunk(emptyList(), 0, 0, 0, true)) }
            }

            test("an upstream error propagates, after the chunks that were ready") {
                runTest {
                    val got = mutableListOf<StreamChunk<Int>>()
                    val error =
                        shouldThrow<IllegalStateException> {
                            flow {
                                repeat(5) { emit(it) }
                                error("upstream broke")
                            }.chunked(FixedChunkPolicy(2)).collect { got += it }
                        }
                    error.message shouldBe "upstream broke"
                    got.map { it.items } shouldBe listOf(listOf(0, 1), listOf(2, 3))
                }
            }

            test("each collection is a new stream") {
                runTest {
                    val chunked = (0 until 3).asFlow().chunked(FixedChunkPolicy(2))
                    chunked.toList() shouldBe chunked.toList()
                }
            }
        }

        context("reframe") {
            test("bursts of any size become 20 ms frames, and the tail comes out as the final frame") {
                runTest {
                    val bursts = listOf(100, 1000, 7, 400).map { n -> FloatArray(n) { it.toFloat() } }
                    val frames = bursts.asChunks().reframe(FixedChunkPolicy(480)).toList()
                    frames.map { it.samples.size } shouldBe listOf(480, 480, 480, 67)
                    frames.map { it.isFinal } shouldBe listOf(false, false, false, true)
                    frames.flatMap { it.samples.toList() } shouldBe bursts.flatMap { it.toList() }
                    frames.last().newLength shouldBe 67
                }
            }

            test("frames that leave the operator are copies that survive an async boundary") {
                runTest {
                    val bursts = (0 until 50).map { b -> FloatArray(97) { (b * 97 + it).toFloat() } }
                    val direct = bursts.asChunks().reframe(LeftContextChunkPolicy(100, 30)).toList()
                    val buffered =
                        bursts
                            .asChunks()
                            .reframe(LeftContextChunkPolicy(100, 30))
                            .buffer(64)
                            .toList()
                    buffered shouldBe direct
                    direct.flatMap { it.newSamples().toList() } shouldBe (0 until 50 * 97).map { it.toFloat() }
                    direct[1].contextSize shouldBe 30
                    direct.map { it.sampleIndex }.toSet() shouldBe setOf(3)
                    direct[1].startOffset shouldBe 70
                }
            }

            test("padFinal pads the final frame; channels are respected") {
                runTest {
                    val stereo = listOf(FloatArray(6) { 1f }).asChunks(channels = 2)
                    val frames = stereo.reframe(FixedChunkPolicy(2), channels = 2, padFinal = true).toList()
                    frames.map { it.samples.toList() } shouldBe listOf(listOf(1f, 1f, 1f, 1f), listOf(1f, 1f, 0f, 0f))
                    frames.last().paddingSize shouldBe 1
                    val odd = listOf(FloatArray(3)).asChunks()
                    shouldThrow<IllegalArgumentException> { odd.reframe(FixedChunkPolicy(2), channels = 2).toList() }
                }
            }
        }
    })

package dev.sluice.buffer.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import java.io.File

/** A sample function of Samples.kt and the output its trailing comment promises. */
data class SampleCase(
    val name: String,
    val promised: List<String>,
)

/** Reads each `fun xxxSample()` of [source] and the `// ` comment lines right after its body. */
fun sampleCases(source: String): List<SampleCase> {
    val lines = source.lines()
    return lines.mapIndexedNotNull { i, line ->
        val name = Regex("""^fun (\w+Sample)\(\)""").find(line)?.groupValues?.get(1) ?: return@mapIndexedNotNull null
        // The body ends at the first line after it that is "}" or the one-line function itself.
        val end = if (line.contains(" = ")) i else (i + 1 until lines.size).first { lines[it] == "}" }
        val promised = lines.drop(end + 1).takeWhile { it.startsWith("// ") }.map { it.removePrefix("// ") }
        SampleCase(name, promised)
    }
}

class SamplesSpec :
    FunSpec({
        val cases = sampleCases(File("src/test/kotlin/dev/sluice/buffer/samples/Samples.kt").readText())

        test("every sample promises its output") {
            (cases.size >= 8) shouldBe true
            cases.forEach { check(it.promised.isNotEmpty()) { "${it.name} has no output comment" } }
        }

        context("each sample prints what its comment says") {
            withData(nameFn = { it.name }, cases) { case ->
                val method = Class.forName("dev.sluice.buffer.samples.SamplesKt").getMethod(case.name)
                method.invoke(null) shouldBe case.promised
            }
        }
    })

package dev.sluice.buffer.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import java.io.File

/** A sample function and the output its trailing comment promises. */
data class SampleCase(
    val name: String,
    val promised: List<String>,
)

/** Reads each `fun xxxSample()` of [source] and the `// ` comment lines right after its body. */
fun sampleCases(source: String): List<SampleCase> {
    val lines = source.lines()
    return lines.mapIndexedNotNull { i, line ->
        val name = Regex("""^fun (\w+Sample)\(\)""").find(line)?.groupValues?.get(1) ?: return@mapIndexedNotNull null
        // Comments inside a body are indented: the first top-level comment lines follow the body.
        val promised =
            lines
                .drop(
                    i + 1,
                ).dropWhile { !it.startsWith("// ") }
                .takeWhile { it.startsWith("// ") }
                .map { it.removePrefix("// ") }
        SampleCase(name, promised)
    }
}

/**
 * Runs every sample function of the `Samples.kt` in [packageName] (a module's test sources) and
 * checks that it returns the lines its trailing comment promises. Each module subclasses it once.
 */
abstract class SamplesCheck(
    packageName: String,
    minimum: Int,
) : FunSpec({
        val path = "src/test/kotlin/${packageName.replace('.', '/')}/Samples.kt"
        val cases = sampleCases(File(path).readText())

        test("every sample promises its output") {
            (cases.size >= minimum) shouldBe true
            cases.forEach { check(it.promised.isNotEmpty()) { "${it.name} has no output comment" } }
        }

        context("each sample returns what its comment says") {
            withData(nameFn = { it.name }, cases) { case ->
                val method = Class.forName("$packageName.SamplesKt").getMethod(case.name)
                method.invoke(null) shouldBe case.promised
            }
        }
    })

class SamplesSpec : SamplesCheck("dev.sluice.buffer.samples", minimum = 8)

package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import java.io.File

private val forbidden = Regex("""^import\s+(java|javax|kotlinx|kotlin\.jvm)\.([\w.]+)""")
private val qualified = Regex("""(?<![\w.])(java|javax|kotlinx)\.[a-z]\w*\.""")

/** The lines of [source] that use the JVM: imports of java, javax, kotlinx or kotlin.jvm (Jvm* annotations aside), or qualified names. */
fun jvmUses(source: String): List<String> =
    source.lines().map { it.trim() }.filter { line ->
        val import = forbidden.find(line)
        when {
            import != null -> !(import.groupValues[1] == "kotlin.jvm" && import.groupValues[2].startsWith("Jvm"))
            line.startsWith("*") || line.startsWith("//") || line.startsWith("/*") -> false
            else -> qualified.containsMatchIn(line)
        }
    }

class NoJvmImportsSpec :
    FunSpec({
        test("buffer-core main sources import nothing from java, javax, kotlinx or kotlin.jvm but Jvm* annotations") {
            val root = File("src/main")
            val files = root.walkTopDown().filter { it.isFile && it.extension == "kt" }.toList()
            (files.size > 5) shouldBe true
            files.flatMap { f -> jvmUses(f.readText()).map { "${f.path}: $it" } }.shouldBeEmpty()
        }

        test("the scan catches each kind of violation") {
            jvmUses("import java.util.ArrayList") shouldBe listOf("import java.util.ArrayList")
            jvmUses("import javax.sound.sampled.AudioFormat").size shouldBe 1
            jvmUses("import kotlinx.coroutines.flow.Flow").size shouldBe 1
            jvmUses("import kotlin.jvm.internal.Ref").size shouldBe 1
            jvmUses("    val x = java.util.ArrayList<Int>()").size shouldBe 1
            jvmUses("import kotlin.jvm.JvmOverloads").shouldBeEmpty()
            jvmUses("import kotlin.jvm.JvmStatic\n * see java.util.List\nval a = 1").shouldBeEmpty()
        }
    })

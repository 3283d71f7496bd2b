package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File

/** The fenced code blocks of [markdown] in [language]. */
fun codeBlocks(
    markdown: String,
    language: String,
): List<String> = Regex("```$language\\n(.*?)\\n```", RegexOption.DOT_MATCHES_ALL).findAll(markdown).map { it.groupValues[1] }.toList()

class ReadmeSpec :
    FunSpec({
        // README snippets are not written twice: each Kotlin or Java block is quoted from test
        // sources, where it compiles and runs (the samples specs check what they print).
        test("every Kotlin and Java block of README.md is quoted verbatim from compiled test sources") {
            val root = File("..")
            val readme = File(root, "README.md").readText()
            val sources =
                root
                    .listFiles()!!
                    .map { File(it, "src/test") }
                    .filter { it.isDirectory }
                    .flatMap { dir -> dir.walkTopDown().filter { it.isFile && (it.extension == "kt" || it.extension == "java") } }
                    .map { it.readText() }
            val blocks = codeBlocks(readme, "kotlin") + codeBlocks(readme, "java")
            (blocks.size >= 4) shouldBe true
            blocks.filter { block -> sources.none { it.contains(block) } } shouldBe emptyList()
        }

        test("codeBlocks finds fenced blocks by language") {
            codeBlocks("a\n```kotlin\nval x = 1\n```\n```java\nint y;\n```", "kotlin") shouldBe listOf("val x = 1")
        }
    })

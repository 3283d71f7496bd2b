package dev.sluice.buffer

import io.kotest.core.spec.style.FunSpec
import org.jetbrains.kotlin.abi.tools.AbiFilters
import org.jetbrains.kotlin.abi.tools.AbiTools
import java.io.File

/** The lines only in [expected] (`-`) and only in [actual] (`+`), in order: a readable diff for a review. */
fun lineDiff(
    expected: List<String>,
    actual: List<String>,
): String {
    val removed = expected - actual.toSet()
    val added = actual - expected.toSet()
    return (removed.map { "- $it" } + added.map { "+ $it" }).joinToString("\n")
}

/**
 * Compares the public JVM ABI of this module's main classes with the committed `api/<module>.api`.
 * A changed public API fails the build with a diff; `mvn verify -Dabi.update=true` rewrites the
 * dump, so the change shows up in review. Each library module subclasses it once.
 */
abstract class ApiDumpCheck(
    module: String,
    /** Packages left out of the dump (generated code that is public only to the JVM). */
    excludedPackages: List<String> = emptyList(),
) : FunSpec({
        test("the public API matches api/$module.api (update with -Dabi.update=true)") {
            val root = File("target/classes")
            val excluded = excludedPackages.map { it.replace('.', '/') + "/" }
            val classes =
                root
                    .walkTopDown()
                    .filter { it.isFile && it.extension == "class" }
                    .filter { f -> excluded.none { f.relativeTo(root).invariantSeparatorsPath.startsWith(it) } }
                    .toList()
            check(classes.isNotEmpty()) { "no classes under target/classes" }
            val dump = StringBuilder().also { AbiTools.getInstance().printJvmDump(it, classes, AbiFilters.EMPTY) }.toString()
            val file = File("api/$module.api")
            if (System.getProperty("abi.update") == "true") {
                file.parentFile.mkdirs()
                file.writeText(dump)
            }
            check(file.exists()) { "api/$module.api is missing: run mvn verify -Dabi.update=true and commit it" }
            val committed = file.readText()
            if (committed != dump) {
                throw AssertionError(
                    "The public API of $module changed. If that is intended, run mvn verify -Dabi.update=true " +
                        "and commit api/$module.api.\n" + lineDiff(committed.lines(), dump.lines()),
                )
            }
        }
    })

class ApiDumpSpec : ApiDumpCheck("buffer-core")

package dev.sluice.release

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File
import java.util.concurrent.TimeUnit
import javax.tools.ToolProvider

/** The jar of dependency [artifactId], which the POM passes as the system property jpms.<artifactId>. */
private fun dependencyJar(artifactId: String): File {
    val path = System.getProperty("jpms.$artifactId")
    check(path != null && File(path).isFile) { "jpms.$artifactId is not a jar: $path" }
    return File(path)
}

class JpmsSpec :
    FunSpec({
        test("a named JPMS module requires the staged jars by their Automatic-Module-Name, compiles and streams") {
            val modulePath =
                listOf("buffer-core", "audio-streamer", "java-interop").map { StagedArtifact(it).file("jar") } +
                    listOf("kotlin-stdlib", "kotlinx-coroutines-core-jvm", "kotlinx-coroutines-jdk9").map(::dependencyJar)
            val work = File("target/jpms").absoluteFile.apply { deleteRecursively() }
            val classes = File(work, "classes")
            val source = File("jpms").absoluteFile
            val javaFiles =
                source
                    .walkTopDown()
                    .filter { it.extension == "java" }
                    .map { it.path }
                    .toList()

            val javac = ToolProvider.getSystemJavaCompiler()
            val args =
                listOf(
                    "--release",
                    "11",
                    // Requiring automatic modules is the point of this check; every other warning fails it.
                    "-Xlint:all,-requires-automatic",
                    "-Werror",
                    "-d",
                    classes.path,
                    // An explicit (empty) class path: javac's default is this test JVM's class path.
                    "-classpath",
                    classes.apply { mkdirs() }.path,
                    "--module-path",
                    modulePath.joinToString(File.pathSeparator),
                ) +
                    javaFiles
            javac.run(null, System.out, System.err, *args.toTypedArray()) shouldBe 0

            val java = File(System.getProperty("java.home"), "bin/java").path
            val process =
                ProcessBuilder(
                    java,
                    "--module-path",
                    (listOf(classes) + modulePath).joinToString(File.pathSeparator),
                    "--module",
                    "dev.sluice.check.jpms/dev.sluice.check.jpms.Main",
                ).redirectErrorStream(true)
                    .start()
            val output = process.inputStream.bufferedReader().readText()
            check(process.waitFor(2, TimeUnit.MINUTES)) { "the JPMS check did not end" }
            process.exitValue() shouldBe 0
            output.lines().filter { it.isNotBlank() } shouldBe
                listOf(
                    "named module: dev.sluice.check.jpms",
                    "modules: dev.sluice.buffer dev.sluice.audio dev.sluice.interop",
                    "buffer chunks: 3, streamed values: 1920",
                )
        }
    })

package dev.sluice.release

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import java.io.File
import java.util.concurrent.TimeUnit

/** One build of the consumer project: a Kotlin compiler, Kotlin's JVM target and javac's release. */
private data class ConsumerBuild(
    val name: String,
    val kotlinVersion: String,
    val jvmTarget: String,
    val javaRelease: String,
)

private val consumerBuilds =
    listOf(
        ConsumerBuild("this build's Kotlin, Java 11", System.getProperty("consumer.kotlin.version"), "11", "11"),
        // The compat check: what an Android app or an older Kotlin project compiles with.
        ConsumerBuild("Kotlin 2.2 and Java 8 (--release 8)", System.getProperty("compat.kotlin.version"), "1.8", "8"),
    )

class ConsumerBuildSpec :
    FunSpec({
        context("a consumer project imports sluice-bom from the staged repository, compiles Kotlin and Java and streams") {
            withData(nameFn = { it.name }, consumerBuilds) { build ->
                val consumer = File("consumer").absoluteFile
                // Its own local repository, so that nothing installed on this machine can stand in for
                // the staged artifacts; third-party releases come from the build's local repository.
                val repository = File("target/consumer-repository").absoluteFile
                File(repository, "dev/sluice").deleteRecursively()
                val localRepository = File(System.getProperty("sluice.local.repository")).absoluteFile
                val mavenHome = System.getProperty("maven.home") ?: error("maven.home is not set: run through Maven")
                val command =
                    listOf(
                        File(mavenHome, "bin/mvn").path,
                        "-B",
                        "--no-transfer-progress",
                        "-f",
                        File(consumer, "pom.xml").path,
                        "-Dmaven.repo.local=${repository.path}",
                        "-Dsluice.version=$sluiceVersion",
                        "-Dsluice.staging.url=${stagingDir.absoluteFile.toURI()}",
                        "-Dsluice.cache.url=${localRepository.toURI()}",
                        "-Dkotlin.version=${build.kotlinVersion}",
                        "-Dkotlin.jvmTarget=${build.jvmTarget}",
                        "-Djava.release=${build.javaRelease}",
                        // In-process compiles: a Kotlin daemon shared with other builds on a busy
                        // machine once failed to answer ("Failed connecting to the daemon in 4 retries").
                        "-Dkotlin.compiler.daemon=false",
                        "clean",
                        "verify",
                    )
                val log = File("target/consumer-build-${build.javaRelease}.log").absoluteFile
                val process =
                    ProcessBuilder(command)
                        .directory(consumer)
                        .redirectErrorStream(true)
                        .redirectOutput(log)
                        .start()
                check(process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly()
                    "the consumer build did not end; see $log"
                }
                val output = log.readLines()
                check(process.exitValue() == 0) { "the consumer build failed; see $log:\n" + output.takeLast(60).joinToString("\n") }
                output shouldContainAll
                    listOf(
                        "kotlin consumer: 7 frames, final=true, padding=160; chunks [[]+[0, 1, 2, 3], [2, 3]+[4, 5, 6, 7], [6, 7]+[8, 9]]",
                        "java consumer: 5 chunks, 2400 values; chunks [0, 1, 2] [3, 4, 5] [6] final",
                    )

                // The Sluice jars it compiled against are the staged ones, byte for byte.
                for (artifactId in listOf("buffer-core", "audio-streamer")) {
                    val staged = StagedArtifact(artifactId).file("jar")
                    val resolved = File(repository, "dev/sluice/$artifactId/$sluiceVersion/${staged.name}")
                    check(resolved.isFile) { "$artifactId was not resolved from the staged repository: no $resolved" }
                    sha1(resolved) shouldBe sha1(staged)
                }
                // The consumer's classes are of the bytecode version asked for.
                val major = if (build.javaRelease == "8") 52 else build.javaRelease.toInt() + 44
                for (name in listOf("KotlinConsumerKt", "JavaConsumer")) {
                    val header = File(consumer, "target/classes/dev/sluice/check/$name.class").readBytes()
                    (((header[6].toInt() and 0xff) shl 8) or (header[7].toInt() and 0xff)) shouldBe major
                }
            }
        }
    })

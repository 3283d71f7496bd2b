package dev.sluice.examples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files

class RemoteSpec :
    FunSpec({
        System.setProperty("java.awt.headless", "true")

        test("./demo --remote: the vocoder in a second JVM over a gRPC edge, streamed == offline exactly") {
            val dir = Files.createTempDirectory("sluice-remote").toFile()
            val out = ByteArrayOutputStream()
            val err = ByteArrayOutputStream()
            val code =
                runMain(
                    listOf(
                        "--remote",
                        "--policy",
                        "left",
                        "--chunk",
                        "3",
                        "--left",
                        "2",
                        "--rate",
                        "50",
                        "--text",
                        "Hi, Sluice.",
                        "--text",
                        "Across processes.",
                        "--out",
                        dir.path,
                    ),
                    PrintStream(out, true),
                    PrintStream(err, true),
                )
            val text = out.toString()
            code shouldBe 0
            text shouldContain "the vocoder in a second JVM over a gRPC edge"
            text shouldContain "vocoder process started on 127.0.0.1:"
            Regex("exact match \\(max \\|diff\\| = 0\\)").findAll(text).count() shouldBe 2
            dir.deleteRecursively()
        }

        test("--remote takes the synthetic engine only") {
            val err = ByteArrayOutputStream()
            runMain(listOf("--remote", "--engine", "freetts"), PrintStream(ByteArrayOutputStream()), PrintStream(err, true)) shouldBe 2
            err.toString() shouldContain "--remote runs the synthetic engine's vocoder remotely"
        }
    })

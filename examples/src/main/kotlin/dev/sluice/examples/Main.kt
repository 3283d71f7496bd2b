package dev.sluice.examples

import kotlin.system.exitProcess

/** Runs the demo: `./demo [options]`; `./demo --help` lists them. */
public fun main(args: Array<String>) {
    exitProcess(runMain(args.toList(), System.out, System.err))
}

/** The demo behind [main], returning the exit code instead of exiting: 0 ok, 2 bad arguments, 3 no engine, 4 not exact (audio or VAD). */
internal fun runMain(
    args: List<String>,
    out: java.io.PrintStream,
    err: java.io.PrintStream,
): Int {
    System.setProperty("java.awt.headless", "true")
    if (args.firstOrNull() == RemoteVocoder.FLAG) return RemoteVocoder.run(args.drop(1), out)
    if ("--serve" in args) return serve(args - "--serve", out, err)
    val options =
        try {
            DemoOptions.parse(args)
        } catch (e: UsageException) {
            if (e.message!!.isNotEmpty()) err.println("error: ${e.message}")
            err.println(DemoOptions.USAGE)
            return if (e.message!!.isEmpty()) 0 else 2
        }
    if (!canWrite(options.out)) {
        err.println("error: cannot write to the output directory ${options.out}")
        err.println(DemoOptions.USAGE)
        return 2
    }
    options.contextWarning?.let { err.println(it) }
    out.println(
        if (options.engine == "synthetic") {
            "Sluice demo: ${options.texts.size} samples, ${options.policy}, " +
                "vocoder looks back ${options.receptive} frames, synthetic engine" +
                if (options.remote) ", the vocoder in a second JVM over a gRPC edge" else ""
        } else {
            // A real engine emits PCM itself: no tokens, so no chunk policy or vocoder.
            "Sluice demo: ${options.texts.size} samples, ${options.engine} engine" +
                if (options.vad) ", Silero VAD on LeftContextChunkPolicy(512, 64)" else ""
        },
    )
    val result =
        try {
            Demo(options, out.takeIf { System.console() != null }).run() // the \r progress line only on a terminal
        } catch (e: EngineMissingException) {
            err.println("error: ${e.message}")
            return 3
        }
    out.println()
    result.setup?.let { out.println(it) }
    result.reports.forEach { out.println(it.summary()) }
    out.println()
    out.println("wrote ${result.wavFiles.joinToString { it.path }} and ${result.timeline.path}")
    val inexact = result.reports.any { (it.offlineSamples != null && !it.exact) || it.vad?.identical == false }
    return if (inexact) 4 else 0
}

private fun canWrite(dir: java.io.File): Boolean =
    try {
        dir.mkdirs()
        val probe = java.io.File.createTempFile("probe", ".tmp", dir)
        probe.delete()
    } catch (e: java.io.IOException) {
        false
    }

/** `./demo --serve [--port N]`: the browser player and the WebSocket route, until the process is stopped. */
private fun serve(
    args: List<String>,
    out: java.io.PrintStream,
    err: java.io.PrintStream,
): Int {
    val port =
        when {
            args.isEmpty() -> 8080
            args.size == 2 && args[0] == "--port" -> args[1].toIntOrNull()?.takeIf { it in 0..65535 }
            else -> null
        }
    if (port == null) {
        err.println("error: --serve takes only --port N (0 to 65535), was ${args.joinToString(" ")}")
        err.println(DemoOptions.USAGE)
        return 2
    }
    val server = startSpeechServer(port)
    val bound =
        kotlinx.coroutines.runBlocking {
            server.engine
                .resolvedConnectors()
                .first()
                .port
        }
    out.println("Sluice speech server: open http://127.0.0.1:$bound/ (WebSocket at /speech); Ctrl-C stops it")
    Runtime.getRuntime().addShutdownHook(Thread { server.stop(100, 1_000) })
    Thread.currentThread().join()
    return 0
}

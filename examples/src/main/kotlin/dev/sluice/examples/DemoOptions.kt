package dev.sluice.examples

import dev.sluice.buffer.ChunkPolicy
import dev.sluice.buffer.FixedChunkPolicy
import dev.sluice.buffer.LeftContextChunkPolicy
import dev.sluice.buffer.RampChunkPolicy
import dev.sluice.buffer.SlidingWindowChunkPolicy
import java.io.File

/** A bad command line: the message says what is wrong; the demo prints it with the usage. */
internal class UsageException(
    message: String,
) : Exception(message)

/** The demo's settings, parsed from the command line. */
internal class DemoOptions(
    val texts: List<String>,
    val policy: ChunkPolicy,
    val receptive: Int,
    val rate: Double,
    val out: File,
    val engine: String,
    val seed: Long,
    /** Run Silero VAD on each live stream (`--vad`, with `--engine freetts`). */
    val vad: Boolean = false,
    /** Run the vocoder in a second JVM, joined by a gRPC edge (`--remote`, synthetic engine). */
    val remote: Boolean = false,
    /** The arguments this was parsed from (the vocoder's process gets them too). */
    val args: List<String> = emptyList(),
) {
    /** The context every chunk is sure to repeat (or all earlier frames, at the start). */
    val guaranteedContext: Int
        get() =
            when (val p = policy) {
                is FixedChunkPolicy -> 0
                is LeftContextChunkPolicy -> p.leftContext
                is SlidingWindowChunkPolicy -> p.window - p.stride
                is RampChunkPolicy -> p.leftContext
                else -> 0
            }

    /** A warning when the streamed audio cannot be exact, or null. */
    val contextWarning: String?
        get() =
            if (engine == "synthetic" && guaranteedContext < receptive) {
                "warning: the policy repeats $guaranteedContext frames of context but the vocoder looks back $receptive: " +
                    "the streamed audio cannot be exact"
            } else {
                null
            }

    companion object {
        val DEFAULT_TEXTS = listOf("Hello from Sluice, streaming speech.", "Every chunk once, in order, to the end.")

        val USAGE =
            """
            |usage: ./demo [options]
            |  --policy ramp|fixed|left|sliding   chunk policy (default ramp)
            |  --sizes 1,2,4,8                    ramp sizes (default 1,2,4,8)
            |  --chunk N                          chunk size for fixed and left (default 4)
            |  --left N                           left context for left and ramp (default 2)
            |  --window N --stride N              sliding window (default 6 and 4)
            |  --receptive R                      frames the vocoder looks back (default 2; fixed: 0)
            |  --rate X                           generation speed, times real time (default 4)
            |  --text "..."                       a text to speak; repeat for a batch (default: 2 texts)
            |  --out DIR                          output directory (default out)
            |  --engine synthetic|freetts|espeak  audio producer (default synthetic; freetts is in-process;
            |                                     espeak needs espeak-ng)
            |  --vad                              with freetts: Silero VAD on the live stream (needs npm once)
            |  --remote                           the vocoder in a second JVM: tokens go over a gRPC edge,
            |                                     audio comes back over gRPC (synthetic engine)
            |  --seed N                           pacing jitter seed (default 1)
            |  --serve [--port N]                 serve the browser player and the WebSocket route (default port 8080)
            """.trimMargin()

        /** The longest text the demo speaks: about 4 minutes of audio. */
        const val MAX_TEXT = 1500

        fun parse(args: List<String>): DemoOptions {
            val values = mutableMapOf<String, String>()
            val texts = mutableListOf<String>()
            var vad = false
            var remote = false
            var remoteAt = -1
            var i = 0
            while (i < args.size) {
                val key = args[i]
                if (key == "--help" || key == "-h") throw UsageException("")
                if (key == "--vad" || key == "--remote") {
                    if (key == "--vad") {
                        vad = true
                    } else {
                        remote = true
                        remoteAt = i
                    }
                    i++
                    continue
                }
                if (key !in KEYS) throw UsageException("unknown option: $key")
                val value = args.getOrNull(i + 1) ?: throw UsageException("$key needs a value")
                if (key == "--text") texts += value else values[key] = value
                i += 2
            }
            val policyName = values["--policy"] ?: "ramp"
            // Every number is checked, whether the chosen policy reads it or not.
            val chunk = int(values, "--chunk", 4, min = 1)
            val left = int(values, "--left", 2, min = 0)
            val window = int(values, "--window", 6, min = 1)
            val stride = int(values, "--stride", 4, min = 1)
            if (stride > window) throw UsageException("--stride must be <= --window, was stride=$stride, window=$window")
            texts.forEachIndexed { k, t ->
                if (t.length > MAX_TEXT) throw UsageException("--text must be at most $MAX_TEXT characters, text $k has ${t.length}")
            }
            val policy =
                try {
                    when (policyName) {
                        "fixed" -> FixedChunkPolicy(chunk)
                        "left" -> LeftContextChunkPolicy(chunk, left)
                        "sliding" -> SlidingWindowChunkPolicy(window, stride)
                        "ramp" -> RampChunkPolicy(sizes(values["--sizes"] ?: "1,2,4,8"), left)
                        else -> throw UsageException("unknown policy: $policyName (choose ramp, fixed, left or sliding)")
                    }
                } catch (e: IllegalArgumentException) {
                    throw UsageException(e.message ?: "bad policy parameters")
                }
            val receptive = int(values, "--receptive", if (policyName == "fixed") 0 else 2, min = 0)
            val rate = values["--rate"]?.let { it.toDoubleOrNull() ?: throw UsageException("--rate must be a number, was $it") } ?: 4.0
            if (!(rate > 0 && rate <= 1000)) throw UsageException("--rate must be in (0, 1000], was $rate")
            val engine = values["--engine"] ?: "synthetic"
            if (engine !in setOf("synthetic", "freetts", "espeak")) {
                throw UsageException("unknown engine: $engine (choose synthetic, freetts or espeak)")
            }
            if (vad && engine != "freetts") throw UsageException("--vad needs --engine freetts (Silero VAD takes 16 kHz audio)")
            if (remote &&
                engine != "synthetic"
            ) {
                throw UsageException("--remote runs the synthetic engine's vocoder remotely; drop --engine $engine")
            }
            val seed = values["--seed"]?.let { it.toLongOrNull() ?: throw UsageException("--seed must be a whole number, was $it") } ?: 1L
            return DemoOptions(
                texts.ifEmpty { DEFAULT_TEXTS },
                policy,
                receptive,
                rate,
                File(values["--out"] ?: "out"),
                engine,
                seed,
                vad,
                remote,
                args.filterIndexed { k, _ ->
                    k !=
                        remoteAt
                },
            )
        }

        private val KEYS =
            setOf(
                "--policy",
                "--sizes",
                "--chunk",
                "--left",
                "--window",
                "--stride",
                "--receptive",
                "--rate",
                "--text",
                "--out",
                "--engine",
                "--seed",
            )

        private fun int(
            values: Map<String, String>,
            key: String,
            default: Int,
            min: Int,
        ): Int {
            val raw = values[key] ?: return default
            val n = raw.toIntOrNull() ?: throw UsageException("$key must be a whole number, was $raw")
            if (n < min) throw UsageException("$key must be >= $min, was $n")
            return n
        }

        private fun sizes(raw: String): List<Int> =
            raw.split(',').map {
                it.trim().toIntOrNull() ?: throw UsageException("--sizes must be whole numbers separated by commas, was $raw")
            }
    }
}

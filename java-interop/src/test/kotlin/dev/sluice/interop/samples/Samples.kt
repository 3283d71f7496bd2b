package dev.sluice.interop.samples

import dev.sluice.interop.JavaAudioStreamer
import java.time.Duration
import java.util.concurrent.TimeUnit

// The samples that KDoc (@sample) shows. SamplesSpec runs each one and checks its output.

fun facadeSample(): List<String> {
    JavaAudioStreamer.builder(1).timeout(Duration.ofSeconds(5)).build().use { streamer ->
        val whole = streamer.collect(0) // a CompletableFuture of the whole audio
        streamer.put(FloatArray(480), 0)
        streamer.put(FloatArray(240), 0)
        streamer.end()
        return listOf("samples: ${whole.get(10, TimeUnit.SECONDS).size}")
    }
}
// samples: 720

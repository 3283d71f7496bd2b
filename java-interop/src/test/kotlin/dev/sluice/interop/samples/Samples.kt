package dev.sluice.interop.samples

import dev.sluice.audio.AsyncAudioStreamer
import dev.sluice.interop.JavaAudioReader
import java.util.concurrent.TimeUnit

// The samples that KDoc (@sample) shows. SamplesSpec runs each one and checks its output.

fun javaReaderSample(): List<String> {
    val engine = AsyncAudioStreamer.builder(1).timeout(5, TimeUnit.SECONDS).build()
    JavaAudioReader(engine).use { reader ->
        val whole = reader.collect(0) // a CompletableFuture of the whole audio
        engine.put(FloatArray(480), 0) // the producer calls the engine itself
        engine.put(FloatArray(240), 0)
        engine.end()
        return listOf("samples: ${whole.get(10, TimeUnit.SECONDS).size}")
    }
}
// samples: 720

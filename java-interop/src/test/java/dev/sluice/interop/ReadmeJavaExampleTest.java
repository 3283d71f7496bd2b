package dev.sluice.interop;

import java.util.List;
import dev.sluice.audio.AsyncAudioStreamer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.audio.AudioChunk;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run. README.md quotes {@link #example()} verbatim. */
class ReadmeJavaExampleTest {
  static String example() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).capacity(16).timeout(5, TimeUnit.SECONDS).build();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      // Generation runs on its own thread: 50 steps of 20 ms (480 samples) for two samples.
      Thread generator =
          new Thread(
              () -> {
                try {
                  for (int step = 0; step < 50; step++) {
                    engine.put(List.of(new float[480], new float[480]), new int[] {0, 1});
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt(); // asked to stop: stop generating
                  return;
                }
                engine.end();
              });
      generator.start();
      // Sample 0 is gathered asynchronously; sample 1 is read as a blocking Stream.
      CompletableFuture<float[]> first = reader.collect(0);
      long chunks;
      try (Stream<AudioChunk> second = reader.stream(1)) {
        chunks = second.count();
      }
      float[] audio = first.get(10, TimeUnit.SECONDS);
      generator.join();
      return audio.length + " samples in sample 0, " + chunks + " chunks in sample 1";
    }
  }

  @Test
  void theReadmeExampleRuns() throws Exception {
    assertEquals("24000 samples in sample 0, 50 chunks in sample 1", example());
  }
}

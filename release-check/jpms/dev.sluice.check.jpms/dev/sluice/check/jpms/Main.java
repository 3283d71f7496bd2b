package dev.sluice.check.jpms;

import dev.sluice.audio.AsyncAudioStreamer;
import dev.sluice.buffer.FixedChunkPolicy;
import dev.sluice.buffer.StreamBuffer;
import dev.sluice.interop.JavaAudioReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Streams a short sample through each published module, and prints the module each class came from. */
public final class Main {
  private Main() {}

  /**
   * Runs the check.
   *
   * @param args unused
   * @throws Exception when the stream fails
   */
  public static void main(String[] args) throws Exception {
    StreamBuffer<Integer> buffer = new StreamBuffer<>(new FixedChunkPolicy(2));
    for (int i = 0; i < 5; i++) {
      buffer.append(i);
    }
    buffer.signalDone();
    int chunks = 0;
    while (buffer.hasChunkReady()) {
      buffer.popChunk();
      chunks++;
    }

    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).timeout(10, TimeUnit.SECONDS).build();
    float[] audio;
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<float[]> all = reader.collect(0);
      for (int step = 0; step < 4; step++) {
        engine.put(new float[480], 0);
      }
      engine.end();
      audio = all.get(10, TimeUnit.SECONDS);
    }
    System.out.println("named module: " + Main.class.getModule().getName());
    System.out.println("modules: " + StreamBuffer.class.getModule().getName() + " " + AsyncAudioStreamer.class.getModule().getName()
        + " " + JavaAudioReader.class.getModule().getName());
    System.out.println("buffer chunks: " + chunks + ", streamed values: " + audio.length);
  }
}

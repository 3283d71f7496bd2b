package dev.sluice.check;

import dev.sluice.audio.AsyncAudioStreamer;
import dev.sluice.audio.AudioChunk;
import dev.sluice.audio.BlockingAudioReader;
import dev.sluice.audio.CloseableIterator;
import dev.sluice.buffer.FixedChunkPolicy;
import dev.sluice.buffer.StreamBuffer;
import dev.sluice.buffer.StreamChunk;
import java.util.concurrent.TimeUnit;

/** The Java side: the engine's builder, a blocking reader and a StreamBuffer, as a Java user calls them. */
public final class JavaConsumer {
  private JavaConsumer() {}

  /**
   * Streams five 480-sample chunks for two samples and cuts 0..6 into chunks of 3.
   *
   * @param args unused
   * @throws Exception when the stream fails; any difference is an IllegalStateException
   */
  public static void main(String[] args) throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).capacity(4).timeout(10, TimeUnit.SECONDS).build();
    Thread generator =
        new Thread(
            () -> {
              try {
                for (int step = 0; step < 5; step++) {
                  engine.put(new float[480], 0);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              engine.end();
            });
    generator.start();
    int chunks = 0;
    int values = 0;
    try (CloseableIterator<AudioChunk> it = new BlockingAudioReader(engine).iterator(0)) {
      while (it.hasNext()) {
        values += it.next().getSamples().length;
        chunks++;
      }
    }
    generator.join();
    if (chunks != 5 || values != 2400) {
      throw new IllegalStateException(chunks + " chunks, " + values + " values");
    }

    StreamBuffer<Integer> buffer = new StreamBuffer<>(new FixedChunkPolicy(3));
    for (int i = 0; i < 7; i++) {
      buffer.append(i);
    }
    buffer.signalDone();
    StringBuilder cut = new StringBuilder();
    while (buffer.hasChunkReady()) {
      StreamChunk<Integer> chunk = buffer.popChunk();
      cut.append(chunk.getNewItems()).append(chunk.isFinal() ? " final" : " ");
    }
    if (!cut.toString().equals("[0, 1, 2] [3, 4, 5] [6] final")) {
      throw new IllegalStateException("chunks: " + cut);
    }
    System.out.println("java consumer: " + chunks + " chunks, " + values + " values; chunks " + cut);
  }
}

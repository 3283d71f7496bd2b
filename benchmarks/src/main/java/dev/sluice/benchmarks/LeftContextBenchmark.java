package dev.sluice.benchmarks;

import dev.sluice.buffer.IntFrame;
import dev.sluice.buffer.IntReframer;
import dev.sluice.buffer.LeftContextChunkPolicy;
import dev.sluice.buffer.StreamBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** B3: 1M codec frames in chunks of 300 with 25 frames of left context (Qwen3-Omni). Items per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeftContextBenchmark {
  static final int N = 1_000_000;
  static final int CHUNK = 300;
  static final int LEFT = 25;

  static final int BLOCK = 8;

  private final int[] codes = new int[N];
  private final Integer[] boxed = new Integer[N];

  {
    for (int i = 0; i < N; i++) {
      codes[i] = i % 4096;
      boxed[i] = codes[i];
    }
  }

  /** Sluice: StreamBuffer with LeftContextChunkPolicy(300, 25), items arriving one at a time. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceStreamBuffer() {
    return Drain.streamBuffer(new StreamBuffer<>("bench", "b3", 0, new LeftContextChunkPolicy(CHUNK, LEFT)), N, codes, 1, false);
  }

  /**
   * Sluice with bulk ingest: the same items arriving in blocks of 8 (a codec frame of 8 codebooks)
   * through {@code appendAll}, with every ready chunk popped after each block.
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceStreamBufferAppendAll() {
    StreamBuffer<Integer> buffer = new StreamBuffer<>("bench", "b3", 0, new LeftContextChunkPolicy(CHUNK, LEFT));
    long items = 0;
    for (int at = 0; at < N; at += BLOCK) {
      buffer.appendAll(boxed, at, Math.min(BLOCK, N - at));
      while (buffer.hasChunkReady()) items += buffer.popChunk().getItems().size();
    }
    buffer.signalDone();
    while (buffer.hasChunkReady()) items += buffer.popChunk().getItems().size();
    return items;
  }

  /**
   * Sluice's primitive path: the same codes, as an {@code int[]}, pushed in blocks of 8 into an
   * {@link IntReframer} with the same policy, every ready frame taken after each block and read in
   * place (its values summed, as a decoder reads them).
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceIntReframer() {
    IntReframer reframer = new IntReframer(new LeftContextChunkPolicy(CHUNK, LEFT));
    long checksum = 0;
    for (int at = 0; at < N; at += BLOCK) {
      reframer.push(codes, at, Math.min(BLOCK, N - at));
      while (reframer.hasFrame()) checksum += sum(reframer.nextFrame());
    }
    reframer.finish();
    while (reframer.hasFrame()) checksum += sum(reframer.nextFrame());
    return checksum;
  }

  /**
   * The same, with every frame copied out ({@link IntFrame#toArray()}) as HF's slice is: an array
   * the consumer owns.
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceIntReframerCopied() {
    IntReframer reframer = new IntReframer(new LeftContextChunkPolicy(CHUNK, LEFT));
    long items = 0;
    for (int at = 0; at < N; at += BLOCK) {
      reframer.push(codes, at, Math.min(BLOCK, N - at));
      while (reframer.hasFrame()) items += reframer.nextFrame().toArray().length;
    }
    reframer.finish();
    while (reframer.hasFrame()) items += reframer.nextFrame().toArray().length;
    return items;
  }

  private static long sum(IntFrame frame) {
    int[] array = frame.getArray();
    long sum = 0;
    for (int i = frame.getOffset(), end = i + frame.getLength(); i < end; i++) sum += array[i];
    return sum;
  }

  /** Hugging Face's chunked_decode slicing loop over the whole array, known in advance. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long hfChunkedDecodeSlicing() {
    long items = 0;
    int start = 0;
    while (start < N) {
      int end = Math.min(start + CHUNK, N);
      int context = start - LEFT > 0 ? LEFT : start;
      int[] slice = Arrays.copyOfRange(codes, start - context, end);
      items += slice.length;
      start = end;
    }
    return items;
  }
}

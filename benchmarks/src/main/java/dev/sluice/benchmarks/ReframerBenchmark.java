package dev.sluice.benchmarks;

import dev.sluice.buffer.FixedChunkPolicy;
import dev.sluice.buffer.FloatFrame;
import dev.sluice.buffer.FloatReframer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B4: 4M floats in random bursts of 1..4096 (seeded) re-framed to 480-sample frames. The score is
 * floats per second (GB/s = score * 4 / 1e9); run with -prof gc for the bytes allocated per float.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReframerBenchmark {
  static final int TOTAL = 4 * 1024 * 1024;

  private final float[] source = new float[4096];
  private int[] bursts;
  private final FloatReframer reframer = new FloatReframer(new FixedChunkPolicy(480));
  private final float[] destination = new float[4096];

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < source.length; i++) source[i] = (float) random.nextDouble();
    int[] sizes = new int[TOTAL];
    int count = 0;
    int left = TOTAL;
    while (left > 0) {
      int b = Math.min(left, 1 + random.nextInt(4096));
      sizes[count++] = b;
      left -= b;
    }
    bursts = java.util.Arrays.copyOf(sizes, count);
  }

  /** The floats in all bursts: {@link #TOTAL}. */
  int burstTotal() {
    int total = 0;
    for (int b : bursts) total += b;
    return total;
  }

  /** The sample frames the re-framer took in on its last pass. */
  long reframedFrames() {
    return reframer.getPushedFrames();
  }

  /** Sluice: push every burst, take every frame (a view: nothing is copied out). */
  @Benchmark
  @OperationsPerInvocation(TOTAL)
  public float sluiceFloatReframer() {
    reframer.reset();
    float sink = 0;
    for (int b : bursts) {
      reframer.push(source, 0, b);
      while (reframer.hasFrame()) {
        FloatFrame f = reframer.nextFrame();
        sink += f.getArray()[f.getOffset()];
      }
    }
    reframer.finish(false);
    while (reframer.hasFrame()) sink += reframer.nextFrame().getLength();
    return sink;
  }

  /**
   * The floor: System.arraycopy of the same bursts into a buffer the size of the largest burst,
   * so that both sides work in the same cache footprint.
   */
  @Benchmark
  @OperationsPerInvocation(TOTAL)
  public float systemArraycopy() {
    float sink = 0;
    for (int b : bursts) {
      System.arraycopy(source, 0, destination, 0, b);
      sink += destination[b - 1];
    }
    return sink;
  }
}

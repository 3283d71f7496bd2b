package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** B6 throughput: 64k chunks round-robin over 1, 8 or 64 samples, read as one batch. Chunks per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchBenchmark {
  static final int TOTAL = 64_000;

  @Param({"1", "8", "64"})
  public int samples;

  private final float[] chunk = new float[480];

  @Benchmark
  @OperationsPerInvocation(TOTAL)
  public long sluiceBatch() {
    return BatchWorkloads.sluice(samples, TOTAL, chunk);
  }

  @Benchmark
  @OperationsPerInvocation(TOTAL)
  public long pollAndSleep() {
    return BatchWorkloads.pollAndSleep(samples, TOTAL, chunk);
  }
}

package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B8, the cost of one {@code batch()} map in a large, mostly idle batch: one chunk put into sample 0
 * of 10, 1,000 or 10,000 samples while the batch consumer waits, until the consumer has it.
 * Microseconds per round trip; the target is that 10,000 samples cost at most 2× what 10 cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdleBatchBenchmark {
  /** A background batch consumer over the samples, of which only sample 0 is ever put into. */
  @State(Scope.Thread)
  public static class Harness {
    @Param({"10", "1000", "10000"})
    public int samples;

    BatchLatencyHarness sluice;

    @Setup(Level.Trial)
    public void start() {
      sluice = new BatchLatencyHarness(samples, true, true);
    }

    @TearDown(Level.Trial)
    public void stop() {
      sluice.close();
    }
  }

  @Benchmark
  public void oneActiveSample(Harness h) {
    h.sluice.roundTrip();
  }
}

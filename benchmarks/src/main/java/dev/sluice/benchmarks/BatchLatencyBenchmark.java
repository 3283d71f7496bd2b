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

/** B6 latency: one chunk put while the batch consumer waits, until the consumer has it. Microseconds. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchLatencyBenchmark {
  /** A background consumer of either design. */
  @State(Scope.Thread)
  public static class Harness {
    @Param({"1", "8", "64"})
    public int samples;

    BatchLatencyHarness sluice;
    BatchLatencyHarness pollAndSleep;

    @Setup(Level.Trial)
    public void start() {
      sluice = new BatchLatencyHarness(samples, true);
      pollAndSleep = new BatchLatencyHarness(samples, false);
    }

    @TearDown(Level.Trial)
    public void stop() {
      sluice.close();
      pollAndSleep.close();
    }
  }

  @Benchmark
  public void sluiceBatch(Harness h) {
    h.sluice.roundTrip();
  }

  @Benchmark
  public void pollAndSleep(Harness h) {
    h.pollAndSleep.roundTrip();
  }
}

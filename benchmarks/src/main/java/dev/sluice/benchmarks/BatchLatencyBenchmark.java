package dev.sluice.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
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
 * B6 latency: one chunk put while the batch consumer waits, until the consumer has it. Microseconds.
 *
 * <p>Before each timed round trip, outside its timing, the harness waits until the consumer is
 * blocked (suspended in {@code batch()}, or asleep between passes) and then a random 0 to 1 ms
 * more: the put lands at a random moment of the wait, as a model's next chunk would, and a
 * poll-and-sleep consumer is met anywhere in its 1 ms sleep. Each design runs with only its own
 * consumer alive.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchLatencyBenchmark {
  /** A background consumer of one design. */
  @State(Scope.Thread)
  public abstract static class Harness {
    @Param({"1", "8", "64"})
    public int samples;

    BatchLatencyHarness harness;

    abstract boolean sluice();

    @Setup(Level.Trial)
    public void start() {
      harness = new BatchLatencyHarness(samples, sluice());
    }

    /** Waits for the consumer to wait, then a random delay of up to 1 ms (not timed). */
    @Setup(Level.Invocation)
    public void settle() {
      harness.settle(ThreadLocalRandom.current().nextLong(1_000_000L));
    }

    @TearDown(Level.Trial)
    public void stop() {
      harness.close();
    }
  }

  /** Sluice's consumer: {@code batch()}. */
  @State(Scope.Thread)
  public static class SluiceHarness extends Harness {
    @Override
    boolean sluice() {
      return true;
    }
  }

  /** The peer's consumer: poll every queue, sleep 1 ms when none had a chunk. */
  @State(Scope.Thread)
  public static class PollHarness extends Harness {
    @Override
    boolean sluice() {
      return false;
    }
  }

  @Benchmark
  public int sluiceBatch(SluiceHarness h) {
    return h.harness.roundTrip();
  }

  @Benchmark
  public int pollAndSleep(PollHarness h) {
    return h.harness.roundTrip();
  }
}

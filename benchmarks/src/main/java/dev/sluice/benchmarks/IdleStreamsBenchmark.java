package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B8, memory: the heap retained per idle stream, 10,000 streams with their consumers waiting,
 * measured after a full GC ({@code bytesPerStream}, a secondary result per iteration; the primary
 * score is only the time one measurement took). {@code impl} as in {@link ManyStreamsBenchmark};
 * Sluice is a streamer of batch 1 per stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdleStreamsBenchmark {
  static final int STREAMS = 10_000;

  /** The retained heap per stream, as a secondary result. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Retained {
    public long bytesPerStream;
  }

  @Param({"sluice", "channel", "platformThreads", "virtualThreads"})
  public String impl;

  @Benchmark
  public long idleStreams(Retained r) {
    r.bytesPerStream = IdleStreams.retainedBytesPerStream(STREAMS, n -> open(impl, n));
    return r.bytesPerStream;
  }

  static AutoCloseable open(String impl, int n) {
    switch (impl) {
      case "sluice":
        return IdleStreams.sluice(n);
      case "channel":
        return IdleStreams.channels(n);
      case "platformThreads":
        return IdleStreams.threads(n, ManyStreamsBenchmark.threadPerTask(false));
      case "virtualThreads":
        return IdleStreams.threads(n, ManyStreamsBenchmark.threadPerTask(true));
      default:
        throw new IllegalArgumentException("unknown impl " + impl);
    }
  }
}

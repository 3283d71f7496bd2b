package dev.sluice.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B8, load: 10,000 streams, each read by its own consumer, fed 480-float chunks by 2 producer
 * threads, 4 chunks per stream per round (capacity 64 each). Chunks per second, and the p99 of the
 * latency from just before a put to its receipt, per iteration ({@code p99Nanos}).
 *
 * <p>{@code impl}: Sluice ({@code AsyncAudioStreamer.stream} in a coroutine per sample), a kotlinx
 * {@code Channel(64)} and a coroutine per stream, a {@code LinkedBlockingQueue(64)} and a platform
 * thread per stream, or the same with a virtual thread per stream (JDK 21+ only; the report runs
 * it on a second JVM).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A fixed, pre-touched heap: without it the collector's sizing of a growing heap drifts over the
// first seconds of every fork, and the figures drift with it.
// MaxTenuringThreshold=0: what survives one young collection is promoted, so the 10,000 streams are
// measured as a server holds them, long-lived and in the old generation, not as they were in their
// first seconds. A fork is too short for the usual 15 collections, yet a server's sessions outlive
// them, and a reference stored into a promoted object costs G1 more: a card for its refinement
// threads to scan. Without this flag that cost never showed here.
@Fork(jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:MaxTenuringThreshold=0"})
public class ManyStreamsBenchmark {
  static final int STREAMS = 10_000;
  static final int PER_ROUND = 4;

  @Param({"sluice", "channel", "platformThreads", "virtualThreads"})
  public String impl;

  ManyStreams run;
  private Latency latency;

  /** The p99 latency of an iteration's chunks, in ns, as a secondary result. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Latency {
    public long p99Nanos;
  }

  @Setup(Level.Trial)
  public void start() {
    run = open(impl, STREAMS, PER_ROUND);
  }

  @TearDown(Level.Iteration)
  public void percentile() {
    if (latency != null) latency.p99Nanos = run.latencyPercentile(99);
    run.clearLatencies();
  }

  @TearDown(Level.Trial)
  public void stop() {
    run.close();
  }

  @Benchmark
  @OperationsPerInvocation(STREAMS * PER_ROUND)
  public int round(Latency l) {
    latency = l;
    return run.round();
  }

  static ManyStreams open(String impl, int streams, int perRound) {
    switch (impl) {
      case "sluice":
        return ManyStreams.sluice(streams, perRound);
      case "channel":
        return ManyStreams.channels(streams, perRound);
      case "platformThreads":
        return ManyStreams.threads(streams, perRound, threadPerTask(false));
      case "virtualThreads":
        return ManyStreams.threads(streams, perRound, threadPerTask(true));
      default:
        throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  /** An executor that starts a thread per task: platform threads, or virtual ones (JDK 21+). */
  static ExecutorService threadPerTask(boolean virtual) {
    if (!virtual) return Executors.newCachedThreadPool();
    try {
      // Called reflectively: the benchmarks compile for Java 17.
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("virtual threads need JDK 21 or later; this is " + Runtime.version(), e);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot make a virtual-thread executor", e);
    }
  }
}

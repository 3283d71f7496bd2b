package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** B5: 100k chunks of 480 floats from a producer thread to a consumer, capacity 64. Chunks per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandoffBenchmark {
  static final int N = 100_000;
  static final int CAPACITY = 64;

  private final float[] chunk = new float[480];

  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceAsyncAudioStreamer() {
    return Handoff.sluice(N, CAPACITY, chunk);
  }

  /** The same handoff with the consumer on a plain thread, through {@code BlockingAudioReader}. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceBlockingReader() {
    return Handoff.sluiceBlocking(N, CAPACITY, chunk);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long kotlinChannel() {
    return Handoff.channel(N, CAPACITY, chunk);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long linkedBlockingQueue() {
    return Handoff.queue(N, CAPACITY, chunk);
  }
}

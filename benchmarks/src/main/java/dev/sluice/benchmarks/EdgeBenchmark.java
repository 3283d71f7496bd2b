package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B7, throughput: 20k items over gRPC on loopback (Netty, 127.0.0.1). Sluice's edge into a 28/7
 * sliding-window StreamBuffer, beside a raw grpc-kotlin bidi stream that only forwards the same
 * items. Items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EdgeBenchmark {
  static final int N = 20_000;

  private EdgeLoopback loopback;

  @Setup(Level.Trial)
  public void setUp() {
    loopback = new EdgeLoopback();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loopback.close();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceEdge() {
    return loopback.sluice(N);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long rawGrpcBidi() {
    return loopback.raw(N);
  }
}

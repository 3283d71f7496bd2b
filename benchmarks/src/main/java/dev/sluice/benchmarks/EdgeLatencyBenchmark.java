package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B7, latency: from the producer's put of a stride (7 items) to the consumer's chunk, over a gRPC
 * edge on loopback, against the same work on an in-process StreamBuffer (SampleTime, µs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EdgeLatencyBenchmark {
  private EdgeLoopback loopback;
  private EdgeLoopback.LatencySession session;
  private InProcessWindow local;

  @Setup(Level.Trial)
  public void setUp() {
    loopback = new EdgeLoopback();
    session = loopback.new LatencySession();
    local = new InProcessWindow();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
    loopback.close();
  }

  @Benchmark
  public int sluiceEdge() {
    return session.chunkRoundTrip();
  }

  @Benchmark
  public int inProcessBuffer() {
    return local.chunkRoundTrip();
  }
}

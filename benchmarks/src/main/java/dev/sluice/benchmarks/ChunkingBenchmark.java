package dev.sluice.benchmarks;

import dev.sluice.buffer.FixedChunkPolicy;
import dev.sluice.buffer.StreamBuffer;
import io.reactivex.rxjava3.core.Flowable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;

/** B1: 1M items cut into fixed chunks of 64. The score is items per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkingBenchmark {
  static final int N = 1_000_000;
  static final int SIZE = 64;

  /** Sluice: StreamBuffer with FixedChunkPolicy(64), popping as chunks become ready. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceStreamBuffer() {
    return Drain.streamBuffer(new StreamBuffer<>("bench", "b1", 0, new FixedChunkPolicy(SIZE)), N, null, 1, true);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long kotlinFlowChunked() {
    return KotlinPeers.flowChunked(N, SIZE);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long kotlinSequenceChunked() {
    return KotlinPeers.sequenceChunked(N, SIZE);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long reactorFluxBuffer() {
    return Flux.range(0, N).buffer(SIZE).map(List::size).reduce(0L, (a, b) -> a + b).block();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long rxJavaFlowableBuffer() {
    return Flowable.range(0, N).buffer(SIZE).map(List::size).reduce(0L, (a, b) -> a + b).blockingGet();
  }
}

package dev.sluice.benchmarks;

import dev.sluice.buffer.SlidingWindowChunkPolicy;
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

/** B2: 1M items in sliding windows of 28 with stride 7 (Orpheus SNAC). The score is items per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlidingWindowBenchmark {
  static final int N = 1_000_000;
  static final int WINDOW = 28;
  static final int STRIDE = 7;
  /** The bursty consumer pops only after every BURST items. */
  static final int BURST = 1024;

  /** Sluice: StreamBuffer with SlidingWindowChunkPolicy(28, 7); counts the items of every window. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceStreamBuffer() {
    return Drain.streamBuffer(new StreamBuffer<>("bench", "b2", 0, new SlidingWindowChunkPolicy(WINDOW, STRIDE)), N, null, 1, false);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long kotlinSequenceWindowed() {
    return KotlinPeers.sequenceWindowed(N, WINDOW, STRIDE);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long reactorFluxBuffer() {
    return Flux.range(0, N).buffer(WINDOW, STRIDE).map(List::size).reduce(0L, (a, b) -> a + b).block();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long rxJavaFlowableBuffer() {
    return Flowable.range(0, N).buffer(WINDOW, STRIDE).map(List::size).reduce(0L, (a, b) -> a + b).blockingGet();
  }

  /** The reference design, ported: the retained list is copied on every pop. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long referenceCopyOnPop() {
    return Drain.reference(new ReferenceCopyOnPopBuffer(WINDOW, STRIDE), N, 1);
  }

  /** Sluice with a bursty consumer that pops only after every 1024 items. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long sluiceStreamBufferBursty() {
    return Drain.streamBuffer(new StreamBuffer<>("bench", "b2", 0, new SlidingWindowChunkPolicy(WINDOW, STRIDE)), N, null, BURST, false);
  }

  /** The reference design with the same bursty consumer: each pop copies everything retained. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long referenceCopyOnPopBursty() {
    return Drain.reference(new ReferenceCopyOnPopBuffer(WINDOW, STRIDE), N, BURST);
  }
}

package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every benchmark does the work it claims, and each peer does the same work as Sluice. */
class WorkloadsTest {
  @Test
  void b1EveryImplementationSeesEveryItem() {
    ChunkingBenchmark b = new ChunkingBenchmark();
    long n = ChunkingBenchmark.N;
    assertEquals(n, b.sluiceStreamBuffer());
    assertEquals(n, b.kotlinFlowChunked());
    assertEquals(n, b.kotlinSequenceChunked());
    assertEquals(n, b.reactorFluxBuffer());
    assertEquals(n, b.rxJavaFlowableBuffer());
  }

  @Test
  void b2TheWindowsHoldTheSameItems() {
    SlidingWindowBenchmark b = new SlidingWindowBenchmark();
    long full = (long) ((SlidingWindowBenchmark.N - 28) / 7 + 1) * 28;
    // Sluice and the reference design also deliver the tail; the peers drop or split it.
    assertEquals(b.sluiceStreamBuffer(), b.referenceCopyOnPop());
    assertEquals(b.sluiceStreamBuffer(), b.sluiceStreamBufferBursty());
    assertEquals(b.sluiceStreamBuffer(), b.referenceCopyOnPopBursty());
    assertEquals(full, b.kotlinSequenceWindowed());
    long sluice = b.sluiceStreamBuffer();
    assertEquals(true, sluice >= full && sluice < full + 28);
    assertEquals(b.reactorFluxBuffer(), b.rxJavaFlowableBuffer());
  }

  @Test
  void b3SluiceCutsTheSameSlicesAsHuggingFace() {
    LeftContextBenchmark b = new LeftContextBenchmark();
    assertEquals(b.hfChunkedDecodeSlicing(), b.sluiceStreamBuffer());
    assertEquals(b.hfChunkedDecodeSlicing(), b.sluiceStreamBufferAppendAll());
    assertEquals(b.hfChunkedDecodeSlicing(), b.sluiceIntReframerCopied());
    // Read in place, the frames hold the values of HF's slices: the same sum, context included.
    long expected = 0;
    for (int start = 0; start < LeftContextBenchmark.N; start += LeftContextBenchmark.CHUNK) {
      int end = Math.min(start + LeftContextBenchmark.CHUNK, LeftContextBenchmark.N);
      for (int i = Math.max(0, start - LeftContextBenchmark.LEFT); i < end; i++) expected += i % 4096;
    }
    assertEquals(expected, b.sluiceIntReframer());
  }

  @Test
  void b4BothSidesMoveEveryFloat() {
    ReframerBenchmark b = new ReframerBenchmark();
    b.setUp();
    assertEquals(ReframerBenchmark.TOTAL, b.burstTotal());
    b.sluiceFloatReframer();
    assertEquals(ReframerBenchmark.TOTAL, b.reframedFrames());
    b.systemArraycopy();
  }

  @Test
  void b5EveryChunkIsHandedOver() {
    float[] chunk = new float[480];
    assertEquals(20_000, Handoff.sluice(20_000, 64, chunk));
    assertEquals(20_000, Handoff.sluiceBlocking(20_000, 64, chunk));
    assertEquals(20_000, Handoff.channel(20_000, 64, chunk));
    assertEquals(20_000, Handoff.queue(20_000, 64, chunk));
  }

  @Test
  void b6EveryChunkOfTheBatchArrives() throws Exception {
    float[] chunk = new float[480];
    for (int samples : new int[] {1, 8, 64}) {
      assertEquals(6_400, BatchWorkloads.sluice(samples, 6_400, chunk));
      assertEquals(6_400, BatchWorkloads.pollAndSleep(samples, 6_400, chunk));
    }
    try (BatchLatencyHarness sluice = new BatchLatencyHarness(8, true);
        BatchLatencyHarness poll = new BatchLatencyHarness(8, false)) {
      for (int i = 0; i < 100; i++) {
        assertEquals(i % 8, sluice.roundTrip());
        assertEquals(i % 8, poll.roundTrip());
      }
    }
  }

  @Test
  void b6SettleReturnsOnlyOnceTheConsumerWaitsAndThenAfterTheDelay() throws Exception {
    try (BatchLatencyHarness sluice = new BatchLatencyHarness(64, true);
        BatchLatencyHarness poll = new BatchLatencyHarness(64, false)) {
      for (BatchLatencyHarness h : new BatchLatencyHarness[] {sluice, poll}) {
        for (int i = 0; i < 50; i++) {
          h.settle(0);
          if (h == sluice) {
            // Suspended in batch() until the next put (the poll-and-sleep consumer wakes each 1 ms).
            Thread.State state = h.consumerState();
            assertTrue(state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING, state::toString);
          }
          assertEquals(i % 64, h.roundTrip());
        }
        long start = System.nanoTime();
        h.settle(2_000_000L);
        assertTrue(System.nanoTime() - start >= 2_000_000L, "settle returned before its delay");
      }
    }
  }

  @Test
  void b8OnlyTheActiveSampleOfALargeBatchIsUsed() throws Exception {
    try (BatchLatencyHarness idle = new BatchLatencyHarness(10_000, true, true);
        BatchLatencyHarness roundRobin = new BatchLatencyHarness(3, true)) {
      for (int i = 0; i < 100; i++) {
        assertEquals(0, idle.roundTrip());
        assertEquals(i % 3, roundRobin.roundTrip());
      }
    }
  }

  @Test
  void b9BothSidesDecodeEverySampleAlike() {
    PcmDecodeBenchmark b = new PcmDecodeBenchmark();
    b.setUp();
    float[] sluice = b.sluiceWhole();
    assertEquals(PcmDecodeBenchmark.SAMPLES, sluice.length);
    org.junit.jupiter.api.Assertions.assertArrayEquals(b.peerWhole(), sluice);
    assertEquals(b.sluicePcmDecoder(), b.byteBufferAsShortBuffer());
  }

  @Test
  void b7BothSidesCarryEveryItemOverLoopback() {
    try (EdgeLoopback loopback = new EdgeLoopback()) {
      assertEquals(2_000L, loopback.sluice(2_000));
      assertEquals(2_000L, loopback.raw(2_000));
      try (EdgeLoopback.LatencySession session = loopback.new LatencySession()) {
        assertEquals(7, session.chunkRoundTrip());
      }
    }
    assertEquals(7, new InProcessWindow().chunkRoundTrip());
  }

  @Test
  void b8EveryStreamGetsEveryChunkOfARoundAndLatenciesAreKept() throws Exception {
    for (String impl : new String[] {"sluice", "channel", "platformThreads"}) {
      try (ManyStreams run = ManyStreamsBenchmark.open(impl, 200, 3)) {
        for (int round = 0; round < 3; round++) assertEquals(600, run.round(), impl);
        long p50 = run.latencyPercentile(50);
        long p99 = run.latencyPercentile(99);
        assertTrue(p50 > 0 && p99 >= p50, impl + ": p50 " + p50 + ", p99 " + p99);
        run.clearLatencies();
        assertEquals(0, run.latencyPercentile(99), impl);
      }
    }
  }

  @Test
  void b8IdleStreamsRetainHeapWhileOpen() {
    for (String impl : new String[] {"sluice", "channel", "platformThreads"}) {
      // Each stream holds at least its queue and its consumer's state: far more than 64 bytes.
      long bytes = IdleStreams.retainedBytesPerStream(2_000, n -> IdleStreamsBenchmark.open(impl, n));
      assertTrue(bytes > 64 && bytes < 1_000_000, impl + ": " + bytes + " B per idle stream");
    }
  }

  @Test
  void b8TheVirtualThreadPeerNeedsJdk21() {
    if (Runtime.version().feature() >= 21) {
      try (ManyStreams run = ManyStreamsBenchmark.open("virtualThreads", 100, 1)) {
        assertEquals(100, run.round());
      }
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ManyStreamsBenchmark.threadPerTask(true));
      assertTrue(e.getMessage().contains("JDK 21"), e.getMessage());
    }
  }
}

package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        sluice.roundTrip();
        poll.roundTrip();
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
}

package dev.sluice.interop;

import dev.sluice.audio.AsyncAudioStreamer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.audio.AudioChunk;
import dev.sluice.audio.AudioOverflow;
import dev.sluice.audio.AudioStreamOverflowException;
import dev.sluice.audio.AudioStreamTimeoutException;
import dev.sluice.audio.CloseableIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JavaAudioReaderTest {
  private static float[] chunk(float... values) {
    return values;
  }

  @Test
  void aGenerationThreadFeedsAConsumingThread() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).capacity(4).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      Thread generator =
          new Thread(
              () -> {
                try {
                  for (int step = 0; step < 100; step++) {
                    engine.put(List.of(chunk(step), chunk(-step)), new int[] {0, 1});
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                engine.end();
              });
      List<Float> zero = new ArrayList<>();
      List<Float> one = new ArrayList<>();
      Thread consumer =
          new Thread(
              () -> {
                try (CloseableIterator<Map<Integer, AudioChunk>> batches = streamer.batchIterator()) {
                  while (batches.hasNext()) {
                    Map<Integer, AudioChunk> batch = batches.next();
                    if (batch.containsKey(0)) zero.add(batch.get(0).getSamples()[0]);
                    if (batch.containsKey(1)) one.add(batch.get(1).getSamples()[0]);
                  }
                }
              });
      generator.start();
      consumer.start();
      generator.join(30_000);
      consumer.join(30_000);
      assertFalse(consumer.isAlive());
      assertEquals(100, zero.size());
      assertEquals(100, one.size());
      for (int i = 0; i < 100; i++) {
        assertEquals(i, zero.get(i));
        assertEquals(-i, one.get(i));
      }
      assertEquals(0, engine.getDroppedChunks());
    }
  }

  @Test
  void aTimeoutIsACatchableUncheckedException() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).timeout(50, TimeUnit.MILLISECONDS).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      CloseableIterator<AudioChunk> it = streamer.iterator(0);
      AudioStreamTimeoutException e = assertThrows(AudioStreamTimeoutException.class, it::hasNext);
      assertEquals("sample 0: no chunk within 50ms", e.getMessage());
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> streamer.forEach(1, c -> {}).get(30, TimeUnit.SECONDS));
      assertInstanceOf(AudioStreamTimeoutException.class, failed.getCause());
    }
  }

  @Test
  void aFailureReachesTheConsumerAfterTheQueuedChunks() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      IllegalStateException cause = new IllegalStateException("the model crashed");
      engine.put(chunk(1f, 2f), 0);
      engine.fail(cause);
      assertEquals(Optional.of(1f), streamer.next(0).get(30, TimeUnit.SECONDS).map(c -> c.getSamples()[0]));
      ExecutionException e = assertThrows(ExecutionException.class, () -> streamer.next(0).get(30, TimeUnit.SECONDS));
      assertSame(cause, e.getCause());
    }
  }

  @Test
  void cancellingAFutureReachesTheProducersListener() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      CountDownLatch heard = new CountDownLatch(1);
      List<Integer> cancelled = new CopyOnWriteArrayList<>();
      engine.addCancellationListener(
          sample -> {
            cancelled.add(sample);
            heard.countDown();
          });
      CompletableFuture<Void> consuming = streamer.forEach(1, c -> {});
      assertTrue(consuming.cancel(true));
      assertTrue(heard.await(30, TimeUnit.SECONDS));
      assertEquals(List.of(1), cancelled);
      assertTrue(engine.isCancelled(1));
      assertFalse(engine.isCancelled(0));
      engine.put(chunk(1f), 1); // the producer may still put: dropped, not queued
      assertEquals(1, engine.getDroppedChunks());
    }
  }

  @Test
  void nextCollectAndForEach() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(3).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      engine.put(List.of(chunk(1f), chunk(2f, 3f), chunk(4f), chunk(5f)), new int[] {0, 0, 1, 2});
      engine.end();
      assertEquals(1f, streamer.next(0).get(30, TimeUnit.SECONDS).orElseThrow().getSamples()[0]);
      assertEquals(2, streamer.next(0).get(30, TimeUnit.SECONDS).orElseThrow().getSamples().length);
      assertEquals(Optional.empty(), streamer.next(0).get(30, TimeUnit.SECONDS));
      assertArrayEquals(chunk(4f), streamer.collect(1).get(30, TimeUnit.SECONDS));
      List<Float> seen = new CopyOnWriteArrayList<>();
      streamer.forEach(2, c -> seen.add(c.getSamples()[0])).get(30, TimeUnit.SECONDS);
      assertEquals(List.of(5f), seen);
    }
  }

  @Test
  void aStreamThatIsClosedEarlyCancelsItsSample() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      engine.put(List.of(chunk(1f), chunk(2f), chunk(3f)), new int[] {0, 0, 1});
      engine.end(new int[] {1});
      try (Stream<AudioChunk> chunks = streamer.stream(0)) {
        assertEquals(1f, chunks.findFirst().orElseThrow().getSamples()[0]);
      }
      assertTrue(engine.isCancelled(0));
      try (Stream<AudioChunk> chunks = streamer.stream(1)) {
        assertEquals(List.of(3f), chunks.map(c -> c.getSamples()[0]).collect(Collectors.toList()));
      }
      assertFalse(engine.isCancelled(1));
    }
  }

  @Test
  void badInputIsAnIllegalArgumentExceptionAndEnqueuesNothing() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).overflow(AudioOverflow.FAIL).capacity(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      assertThrows(IllegalArgumentException.class, () -> engine.put(List.of(chunk(1f), chunk(2f)), new int[] {0, -1}));
      assertThrows(IllegalArgumentException.class, () -> engine.end(new int[] {0, 2}));
      engine.put(chunk(1f), 0);
      assertThrows(AudioStreamOverflowException.class, () -> engine.put(chunk(2f), 0));
      engine.end();
      assertArrayEquals(chunk(1f), streamer.collect(0).get(30, TimeUnit.SECONDS));
    }
    assertThrows(IllegalArgumentException.class, () -> AsyncAudioStreamer.builder(0).build());
    assertThrows(IllegalArgumentException.class, () -> AsyncAudioStreamer.builder(1).timeout(0, TimeUnit.SECONDS).build());
  }

  @Test
  void closeLeavesNoLiveNonDaemonThreads() throws Exception {
    Set<Thread> before = liveNonDaemonThreads();
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).build();
    JavaAudioReader streamer = new JavaAudioReader(engine);
    CompletableFuture<float[]> pending = streamer.collect(0);
    CompletableFuture<Optional<AudioChunk>> next = streamer.next(1);
    streamer.close();
    assertTrue(pending.isDone() || waitDone(pending));
    assertTrue(next.isDone() || waitDone(next));
    Set<Thread> after = liveNonDaemonThreads();
    after.removeAll(before);
    assertEquals(Set.of(), after);
  }

  @Test
  void anExecutorGivenToTheBuilderRunsTheConsumers() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "sluice-consumer"));
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine, pool)) {
      List<String> threads = new CopyOnWriteArrayList<>();
      engine.put(chunk(1f), 0);
      engine.end();
      streamer.forEach(0, c -> threads.add(Thread.currentThread().getName())).get(30, TimeUnit.SECONDS);
      assertEquals(1, threads.size());
      // Coroutines' debug mode (on under -ea) appends " @coroutine#N" to the thread name.
      assertTrue(threads.get(0).startsWith("sluice-consumer"), threads.get(0));
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  private static boolean waitDone(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // cancelled or failed: done either way
    }
    return future.isDone();
  }

  private static Set<Thread> liveNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  @Test
  void anAudioReplayFromJava() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(2).capacity(4).build();
    kotlinx.coroutines.CoroutineScope scope =
        kotlinx.coroutines.CoroutineScopeKt.CoroutineScope(kotlinx.coroutines.Dispatchers.getDefault());
    try {
      dev.sluice.audio.AudioReplay replay = new dev.sluice.audio.AudioReplay(engine, scope);
      assertEquals(2, replay.getBatchSize());
      assertEquals(64, replay.getCapacity());
      CountDownLatch cancelled = new CountDownLatch(1);
      engine.addCancellationListener(i -> cancelled.countDown());
      replay.cancel(1);
      assertTrue(cancelled.await(10, TimeUnit.SECONDS));
      assertTrue(engine.isCancelled(1));
      replay.acknowledge(0, 3);
      assertEquals(0, replay.retainedChunks(0));
      assertThrows(IllegalArgumentException.class, () -> replay.cancel(2));
      assertThrows(IllegalArgumentException.class, () -> new dev.sluice.audio.AudioReplay(engine, scope, 0));
    } finally {
      kotlinx.coroutines.CoroutineScopeKt.cancel(scope, null);
    }
  }
}

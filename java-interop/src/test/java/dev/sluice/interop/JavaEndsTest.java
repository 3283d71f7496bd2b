package dev.sluice.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.audio.AsyncAudioStreamer;
import dev.sluice.audio.AudioChunk;
import dev.sluice.audio.AudioOverflow;
import dev.sluice.audio.AudioStreamTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The consumer-end rule from Java, and the regression tests of the defects in the Java adapters. */
class JavaEndsTest {
  /** Waits, bounded, until the condition holds. */
  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
      Thread.sleep(5);
    }
  }

  private static Flow.Subscriber<AudioChunk> subscriber(
      Consumer<Flow.Subscription> onSubscribe, CompletableFuture<Throwable> error, CountDownLatch items) {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        onSubscribe.accept(s);
      }

      @Override
      public void onNext(AudioChunk c) {
        items.countDown();
      }

      @Override
      public void onError(Throwable t) {
        error.complete(t);
      }

      @Override
      public void onComplete() {}
    };
  }

  @Test
  void aJavaProducerBuildsAndDrivesTheEngineDirectly() throws Exception {
    AsyncAudioStreamer engine =
        AsyncAudioStreamer.builder(2).capacity(2).overflow(AudioOverflow.WAIT).timeout(5, TimeUnit.SECONDS).channels(1).build();
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int step = 0; step < 10; step++) engine.put(List.of(new float[] {step}, new float[] {-step}), new int[] {0, 1});
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              engine.end();
            });
    producer.start();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<float[]> first = reader.collect(0);
      long second;
      try (Stream<AudioChunk> s = reader.stream(1)) {
        second = s.count();
      }
      assertEquals(10, first.get(10, TimeUnit.SECONDS).length);
      assertEquals(10, second);
    }
    producer.join();
    assertEquals(0, engine.getDroppedChunks());
  }

  @Test
  void collectThatTimesOutCancelsTheSample() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).timeout(100, TimeUnit.MILLISECONDS).build();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<float[]> f = reader.collect(0);
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
      assertInstanceOf(AudioStreamTimeoutException.class, e.getCause());
      assertTrue(engine.isCancelled(0), "a WAIT producer would block forever otherwise");
    }
  }

  @Test
  void forEachWhoseActionThrowsCancelsTheSample() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    engine.put(new float[1], 0);
    engine.put(new float[1], 0);
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<Void> f =
          reader.forEach(
              0,
              c -> {
                throw new IllegalStateException("boom");
              });
      assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
      assertTrue(engine.isCancelled(0));
      assertEquals(1, engine.droppedChunks(0)); // the one still queued; the first reached the action
    }
  }

  @Test
  void nextThatTimesOutCancelsTheSample() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).timeout(50, TimeUnit.MILLISECONDS).build();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      assertThrows(ExecutionException.class, () -> reader.next(0).get(5, TimeUnit.SECONDS));
      assertTrue(engine.isCancelled(0));
    }
  }

  @Test
  void nextThenCollectIsASecondConsumer() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    engine.put(new float[] {7f}, 0);
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      assertEquals(7f, reader.next(0).get(5, TimeUnit.SECONDS).orElseThrow().getSamples()[0]);
      assertThrows(IllegalStateException.class, () -> reader.collect(0));
      assertThrows(IllegalStateException.class, () -> reader.iterator(0));
      engine.end();
      assertTrue(reader.next(0).get(5, TimeUnit.SECONDS).isEmpty());
    }
  }

  @Test
  void everyJavaEndCancelsOnEarlyClose() throws Exception {
    List<Consumer<JavaAudioReader>> ends =
        List.of(
            r -> r.iterator(0).close(),
            r -> r.batchIterator().close(),
            r -> r.stream(0).close(),
            r -> r.collect(0).cancel(true),
            r -> r.forEach(0, c -> {}).cancel(true),
            r -> r.next(0).cancel(true),
            r -> {
              AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
              r.publisher(0).subscribe(subscriber(sub::set, new CompletableFuture<>(), new CountDownLatch(1)));
              sub.get().cancel(); // before any request()
            },
            JavaAudioReader::close);
    int k = 0;
    for (Consumer<JavaAudioReader> end : ends) {
      AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
      JavaAudioReader reader = new JavaAudioReader(engine);
      if (k == ends.size() - 1) reader.next(0); // close() closes the ends next() opened
      end.accept(reader);
      awaitTrue(() -> engine.isCancelled(0));
      reader.close();
      k++;
    }
  }

  @Test
  void requestOfZeroOrLessSignalsIllegalArgument() throws Exception {
    for (long n : new long[] {0, -1}) {
      AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
      try (JavaAudioReader reader = new JavaAudioReader(engine)) {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        reader.publisher(0).subscribe(subscriber(s -> s.request(n), error, new CountDownLatch(1)));
        assertInstanceOf(IllegalArgumentException.class, error.get(5, TimeUnit.SECONDS));
        awaitTrue(() -> engine.isCancelled(0));
      }
    }
  }

  @Test
  void aBadRequestWhileWaitingForDataIsSignalledAtOnce() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<Throwable> error = new CompletableFuture<>();
      AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
      reader.publisher(0).subscribe(subscriber(sub::set, error, new CountDownLatch(1)));
      sub.get().request(1); // demand, but no chunk comes: the subscription waits for data
      Thread.sleep(100);
      sub.get().request(-1);
      // No chunk ever comes, so the error must not wait for one.
      assertInstanceOf(IllegalArgumentException.class, error.get(5, TimeUnit.SECONDS));
      awaitTrue(() -> engine.isCancelled(0));
    }
  }

  @Test
  void collectThatFailsCountsTheChunksItGatheredAsDropped() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).timeout(100, TimeUnit.MILLISECONDS).build();
    engine.put(new float[1], 0);
    engine.put(new float[1], 0);
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      CompletableFuture<float[]> f = reader.collect(0);
      assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
      assertTrue(engine.isCancelled(0));
      assertEquals(2, engine.droppedChunks(0)); // taken, never handed to the caller: counted
    }
  }

  @Test
  void closeCancelsActiveSubscriptions() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    JavaAudioReader reader = new JavaAudioReader(engine);
    CountDownLatch got = new CountDownLatch(1);
    reader.publisher(0).subscribe(subscriber(s -> s.request(10), new CompletableFuture<>(), got));
    engine.put(new float[1], 0);
    assertTrue(got.await(5, TimeUnit.SECONDS));
    reader.close();
    awaitTrue(() -> engine.isCancelled(0));
  }

  @Test
  void aSecondSubscriberGetsOnError() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader reader = new JavaAudioReader(engine)) {
      reader.publisher(0).subscribe(subscriber(s -> {}, new CompletableFuture<>(), new CountDownLatch(1)));
      CompletableFuture<Throwable> error = new CompletableFuture<>();
      reader.publisher(0).subscribe(subscriber(s -> {}, error, new CountDownLatch(1)));
      assertInstanceOf(IllegalStateException.class, error.get(5, TimeUnit.SECONDS));
    }
  }
}

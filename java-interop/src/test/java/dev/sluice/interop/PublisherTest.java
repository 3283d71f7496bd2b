package dev.sluice.interop;

import dev.sluice.audio.AsyncAudioStreamer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.audio.AudioChunk;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublisherTest {
  /** A plain subscriber that records what it gets and requests only when told to. */
  static final class Recorder implements Flow.Subscriber<AudioChunk> {
    final List<Float> values = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      events.add("subscribed");
    }

    @Override
    public void onNext(AudioChunk chunk) {
      values.add(chunk.getSamples()[0]);
      events.add("next");
    }

    @Override
    public void onError(Throwable t) {
      events.add("error " + t.getMessage());
      done.countDown();
    }

    @Override
    public void onComplete() {
      events.add("complete");
      done.countDown();
    }
  }

  @Test
  void aSubscriberGetsNoMoreItemsThanItRequested() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      for (int i = 0; i < 10; i++) engine.put(new float[] {i}, 0);
      engine.end();
      Recorder recorder = new Recorder();
      streamer.publisher(0).subscribe(recorder);
      assertEquals("subscribed", recorder.events.poll(30, TimeUnit.SECONDS));
      recorder.subscription.request(3);
      for (int i = 0; i < 3; i++) assertEquals("next", recorder.events.poll(30, TimeUnit.SECONDS));
      // Bounded wait: nothing more may come until more is requested.
      assertEquals(null, recorder.events.poll(200, TimeUnit.MILLISECONDS));
      assertEquals(List.of(0f, 1f, 2f), recorder.values);
      recorder.subscription.request(Long.MAX_VALUE);
      assertTrue(recorder.done.await(30, TimeUnit.SECONDS));
      assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f), recorder.values);
    }
  }

  @Test
  void aSubscriberThatCancelsCancelsTheSample() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      CountDownLatch heard = new CountDownLatch(1);
      engine.addCancellationListener(sample -> heard.countDown());
      engine.put(new float[] {1f}, 0);
      Recorder recorder = new Recorder();
      streamer.publisher(0).subscribe(recorder);
      assertEquals("subscribed", recorder.events.poll(30, TimeUnit.SECONDS));
      recorder.subscription.request(1);
      assertEquals("next", recorder.events.poll(30, TimeUnit.SECONDS));
      recorder.subscription.cancel();
      assertTrue(heard.await(30, TimeUnit.SECONDS));
      assertTrue(engine.isCancelled(0));
    }
  }

  @Test
  void aFailureReachesOnError() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    try (JavaAudioReader streamer = new JavaAudioReader(engine)) {
      engine.fail(new RuntimeException("boom"));
      Recorder recorder = new Recorder();
      streamer.publisher(0).subscribe(recorder);
      recorder.events.poll(30, TimeUnit.SECONDS);
      recorder.subscription.request(1);
      assertTrue(recorder.done.await(30, TimeUnit.SECONDS));
      assertTrue(recorder.events.contains("error boom"));
    }
  }
}

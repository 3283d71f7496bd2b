package dev.sluice.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.audio.AsyncAudioStreamer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sink as a Java caller uses it: overloaded constructors, await with a TimeUnit, and close. */
class AudioTrackSinkJavaTest {
  @Test
  void playsAStreamFromJava() throws Exception {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).timeout(10, TimeUnit.SECONDS).build();
    FakeTrack track = new FakeTrack(2, Integer.MAX_VALUE, java.util.List.of(), () -> false, null, written -> written);
    AudioTrackSink sink =
        new AudioTrackSink(engine, 0, new PcmFormat(16_000), 4, 2, 2_000, new FakeTracks(track, 1_000));
    sink.start();
    engine.put(new float[700], 0);
    engine.end();
    assertTrue(sink.await(10, TimeUnit.SECONDS));
    assertEquals(AudioTrackSink.State.ENDED, sink.getState());
    assertEquals(700L, sink.getFramesWritten());
    assertEquals(1_400, track.written().length);
    sink.close(); // after the end: nothing happens
    assertEquals(AudioTrackSink.State.ENDED, sink.getState());
  }

  @Test
  void rejectsBadArgumentsFromJava() {
    AsyncAudioStreamer engine = AsyncAudioStreamer.builder(1).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AudioTrackSink(engine, 0, new PcmFormat(16_000), 2, 3));
    assertEquals("prefillFrames must be in 1..2, was 3", e.getMessage());
    assertEquals(PcmEncoding.PCM_16BIT, new PcmFormat(16_000).getEncoding());
  }
}

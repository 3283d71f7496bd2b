package dev.sluice.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.buffer.ChunkPolicy;
import dev.sluice.buffer.FixedChunkPolicy;
import dev.sluice.buffer.FloatFrame;
import dev.sluice.buffer.FloatReframer;
import dev.sluice.buffer.IntFrame;
import dev.sluice.buffer.IntReframer;
import dev.sluice.buffer.LeftContextChunkPolicy;
import dev.sluice.buffer.PcmDecoder;
import dev.sluice.buffer.SampleEncoding;
import dev.sluice.buffer.RampChunkPolicy;
import dev.sluice.buffer.ShortReframer;
import dev.sluice.buffer.SlidingWindowChunkPolicy;
import dev.sluice.buffer.StreamBuffer;
import dev.sluice.buffer.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** buffer-core used straight from Java: constructors, overloads and getters read naturally. */
class BufferCoreJavaTest {
  @Test
  void streamBufferWithSlidingWindowChunkPolicy() {
    StreamBuffer<Integer> buffer = new StreamBuffer<>("req-1", "talker->snac", 0, new SlidingWindowChunkPolicy(28, 7));
    List<StreamChunk<Integer>> chunks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      buffer.append(i);
      while (buffer.hasChunkReady()) chunks.add(buffer.popChunk());
    }
    buffer.signalDone();
    while (buffer.hasChunkReady()) chunks.add(buffer.popChunk());
    assertEquals(3, chunks.size());
    assertEquals(List.of(0L, 7L, 14L), List.of(chunks.get(0).getStartOffset(), chunks.get(1).getStartOffset(), chunks.get(2).getStartOffset()));
    assertEquals(21, chunks.get(2).getContextSize());
    assertEquals(26, chunks.get(2).getItems().size());
    assertTrue(chunks.get(2).isFinal());
    assertTrue(buffer.isFinished());
    assertEquals(List.of(35, 36, 37, 38, 39), chunks.get(2).getNewItems());
  }

  @Test
  void outOfOrderArrivalAndErrorsFromJava() {
    StreamBuffer<String> buffer = new StreamBuffer<>("req-2", "thinker->talker", 1, new FixedChunkPolicy(2));
    buffer.preReadRegister("a");
    buffer.preReadRegister("b");
    buffer.put("b", "B");
    assertFalse(buffer.hasChunkReady());
    assertEquals(List.of("a"), buffer.getPendingIds());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> buffer.put("b", "again"));
    assertTrue(twice.getMessage().contains("request 'req-2', edge 'thinker->talker', partition 1: id 'b' (String) was already put"));
    buffer.put("a", "A");
    assertEquals(List.of("A", "B"), buffer.popChunk().getItems());
    assertEquals(null, buffer.pollChunk());
  }

  @Test
  void policiesAreValuesWithNaturalConstructors() {
    assertEquals(new FixedChunkPolicy(64), new FixedChunkPolicy(64, false));
    assertEquals(new RampChunkPolicy(List.of(1, 2, 4)), new RampChunkPolicy(List.of(1, 2, 4), 0));
    assertEquals("LeftContextChunkPolicy(chunk=300, leftContext=25)", new LeftContextChunkPolicy(300, 25).toString());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new SlidingWindowChunkPolicy(4, 5));
    assertEquals("stride must be <= window, was stride=5, window=4", bad.getMessage());
  }

  @Test
  void aCustomPolicyWrittenInJava() {
    ChunkPolicy everyOther =
        new ChunkPolicy() {
          @Override
          public int newItems(long index, long delivered) {
            return index % 2 == 0 ? 1 : 3;
          }

          @Override
          public int contextSize(long index, long delivered) {
            return 0;
          }
        };
    assertFalse(everyOther.getContinueAfterDone());
    StreamBuffer<Integer> buffer = new StreamBuffer<>("r", "e", 0, everyOther);
    for (int i = 0; i < 6; i++) buffer.append(i);
    buffer.signalDone();
    List<Integer> sizes = new ArrayList<>();
    while (buffer.hasChunkReady()) sizes.add(buffer.popChunk().getNewItems().size());
    assertEquals(List.of(1, 3, 1, 1), sizes);
  }

  @Test
  void reframersFromJava() {
    FloatReframer reframer = new FloatReframer(new FixedChunkPolicy(480));
    reframer.push(new float[700]);
    reframer.push(new float[1000], 100, 300);
    FloatFrame frame = reframer.nextFrame();
    assertEquals(480, frame.getLength());
    assertEquals(0L, frame.getStartOffset());
    reframer.finish(true);
    assertTrue(reframer.hasFrame());
    reframer.nextFrame();
    FloatFrame last = reframer.nextFrame();
    assertTrue(last.isFinal());
    assertEquals(40, last.getNewLength());
    assertEquals(440, last.getPaddingSize());
    ShortReframer stereo = new ShortReframer(new FixedChunkPolicy(2), 2);
    assertThrows(IllegalArgumentException.class, () -> stereo.push(new short[3]));
  }

  @Test
  void intReframerFromJava() {
    // Codec codes of 8 codebooks, chunks of 2 codec frames with 1 of left context.
    IntReframer codes = new IntReframer(new LeftContextChunkPolicy(2, 1), 8);
    int[] block = new int[40];
    for (int i = 0; i < block.length; i++) block[i] = i;
    codes.push(block, 0, 16);
    codes.push(block, 16);
    IntFrame first = codes.nextFrame();
    assertEquals(16, first.getLength());
    assertEquals(0, first.getContextSize());
    IntFrame second = codes.nextFrame();
    assertEquals(1L, second.getStartOffset());
    assertEquals(1, second.getContextSize());
    assertArrayEquals(java.util.Arrays.copyOfRange(block, 8, 32), second.toArray());
    assertThrows(IllegalArgumentException.class, () -> codes.push(new int[7]));
    codes.finish();
    IntFrame last = codes.nextFrame();
    assertTrue(last.isFinal());
    assertEquals(8, last.getNewLength());
  }

  @Test
  void pcmDecoderFromJava() {
    // FreeTTS's shape: 16-bit big-endian, chunks that split a sample in half.
    PcmDecoder decoder = new PcmDecoder(SampleEncoding.S16_BE);
    assertEquals(1, decoder.getChannels());
    assertArrayEquals(new float[] {0.5f}, decoder.decode(new byte[] {0x40, 0x00, (byte) 0xC0}));
    assertEquals(1, decoder.getPendingBytes());
    short[] out = new short[4];
    assertEquals(1, decoder.decodeShortsInto(new byte[] {0x00, 0x10}, 0, 2, out));
    assertEquals((short) 0xC000, out[0]);
    assertEquals(1, decoder.getPendingBytes());
    IllegalStateException truncated = assertThrows(IllegalStateException.class, decoder::finish);
    assertTrue(truncated.getMessage().contains("1 byte left over"), truncated.getMessage());
    assertTrue(decoder.isFinished());
    decoder.reset();
    assertThrows(IllegalArgumentException.class, () -> decoder.decode(new byte[4], 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new PcmDecoder(SampleEncoding.F32_LE, 0));

    // Straight into a re-framer: 20 ms frames at 16 kHz.
    FloatReframer reframer = new FloatReframer(new FixedChunkPolicy(320));
    PcmDecoder stream = new PcmDecoder(SampleEncoding.S16_LE);
    assertEquals(400, reframer.push(stream, new byte[801]));
    assertEquals(1, stream.getPendingBytes());
    FloatFrame frame = reframer.nextFrame();
    assertEquals(320, frame.getNewSize());
    assertEquals(4, SampleEncoding.getEntries().size());
  }

  @Test
  void appendAllFromJava() {
    StreamBuffer<Integer> buffer = new StreamBuffer<>("req", "edge", 0, new FixedChunkPolicy(3));
    buffer.appendAll(java.util.Arrays.asList(1, 2));
    buffer.appendAll(new Integer[] {0, 3, 4, 0}, 1, 2);
    assertEquals(java.util.Arrays.asList(1, 2, 3), buffer.popChunk().getItems());
    assertThrows(IllegalArgumentException.class, () -> buffer.appendAll(new Integer[] {5}, 1, 1));
    buffer.appendAll(new Integer[] {5});
    buffer.signalDone();
    assertThrows(IllegalStateException.class, () -> buffer.appendAll(java.util.Collections.singletonList(6)));
    assertEquals(java.util.Arrays.asList(4, 5), buffer.popChunk().getItems());
  }
}

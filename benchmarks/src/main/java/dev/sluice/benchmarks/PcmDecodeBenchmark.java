package dev.sluice.benchmarks;

import dev.sluice.buffer.PcmDecoder;
import dev.sluice.buffer.SampleEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B9: 1 MiB of 16-bit little-endian PCM in chunks of 1..4096 bytes (seeded, odd sizes included)
 * decoded to floats in [-1, 1). The score is samples per second. The peer decodes the same bytes
 * with {@code ByteBuffer.asShortBuffer()}; it needs whole samples, so its chunks are the same
 * splits rounded down to an even size (it cannot carry half a sample from one chunk to the next).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PcmDecodeBenchmark {
  static final int BYTES = 1024 * 1024;
  static final int SAMPLES = BYTES / 2;

  private final byte[] source = new byte[BYTES];
  private int[] chunks;
  private int[] evenChunks;
  private final PcmDecoder decoder = new PcmDecoder(SampleEncoding.S16_LE, 1);
  private final float[] out = new float[4096];

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < BYTES; i++) source[i] = (byte) random.nextInt(256);
    int[] sizes = new int[BYTES];
    int count = 0;
    int left = BYTES;
    while (left > 0) {
      int n = Math.min(left, 1 + random.nextInt(4096));
      sizes[count++] = n;
      left -= n;
    }
    chunks = java.util.Arrays.copyOf(sizes, count);
    // The peer's splits: the same cut points, moved down to even offsets.
    evenChunks = new int[count];
    int at = 0;
    int evenAt = 0;
    for (int k = 0; k < count; k++) {
      at += chunks[k];
      int end = at & ~1;
      evenChunks[k] = end - evenAt;
      evenAt = end;
    }
  }

  /** Sluice: PcmDecoder.decodeInto a reusable array, carrying half samples between chunks. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public float sluicePcmDecoder() {
    decoder.reset();
    float sink = 0;
    int at = 0;
    for (int n : chunks) {
      int values = decoder.decodeInto(source, at, n, out, 0);
      if (values > 0) sink += out[values - 1];
      at += n;
    }
    decoder.finish();
    return sink;
  }

  /** The peer: ByteBuffer.wrap(...).order(LITTLE_ENDIAN).asShortBuffer(), then / 32768f. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public float byteBufferAsShortBuffer() {
    float sink = 0;
    int at = 0;
    for (int n : evenChunks) {
      ShortBuffer shorts = ByteBuffer.wrap(source, at, n).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      int values = shorts.remaining();
      for (int i = 0; i < values; i++) out[i] = shorts.get(i) / 32768f;
      if (values > 0) sink += out[values - 1];
      at += n;
    }
    return sink;
  }

  /** For the workload test: Sluice's output over the benchmark's own splits, in one array. */
  float[] sluiceWhole() {
    PcmDecoder d = new PcmDecoder(SampleEncoding.S16_LE, 1);
    float[] all = new float[SAMPLES];
    int at = 0;
    int o = 0;
    for (int n : chunks) {
      o += d.decodeInto(source, at, n, all, o);
      at += n;
    }
    d.finish();
    return java.util.Arrays.copyOf(all, o);
  }

  /** For the workload test: the peer's output over its even splits, in one array. */
  float[] peerWhole() {
    float[] all = new float[SAMPLES];
    int at = 0;
    int o = 0;
    for (int n : evenChunks) {
      ShortBuffer shorts = ByteBuffer.wrap(source, at, n).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      while (shorts.hasRemaining()) all[o++] = shorts.get() / 32768f;
      at += n;
    }
    return java.util.Arrays.copyOf(all, o);
  }
}

package dev.sluice.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and writes the report: the JMH JSON, a Markdown table per benchmark with
 * Sluice and its peers side by side, each target's ratio with a 99.9% interval, and a bar chart of
 * the ratios. Usage: {@code Report [--full] [docs-dir]}. The quick profile is 1 fork, 2 warm-up and
 * 3 measured iterations; {@code --full} is 3 forks, 3 warm-up and 5 measured iterations.
 */
public final class Report {
  static int FORKS = 1;
  static int WARMUPS = 2;
  static int ITERATIONS = 3;
  static String PROFILE = "quick";

  private Report() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    List<String> rest = new ArrayList<>(java.util.Arrays.asList(args));
    if (rest.remove("--full")) {
      FORKS = 3;
      WARMUPS = 3;
      ITERATIONS = 5;
      PROFILE = "full";
    }
    Path docs = Paths.get(rest.isEmpty() ? "docs" : rest.get(0));
    Files.createDirectories(docs);
    Options options =
        new OptionsBuilder()
            .include("dev\\.sluice\\.benchmarks\\.[A-Za-z]+Benchmark\\.")
            .forks(FORKS)
            .warmupIterations(WARMUPS)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(docs.resolve("benchmarks.json").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Scores scores = new Scores(results);
    Files.write(docs.resolve("benchmarks.md"), markdown(scores).getBytes(StandardCharsets.UTF_8));
    chart(scores, docs.resolve("benchmarks.png"));
    System.out.println("wrote " + docs.resolve("benchmarks.md") + ", benchmarks.png and benchmarks.json");
  }

  /** The results by "Class.method" or "Class.method[samples]". */
  static final class Scores {
    final Map<String, RunResult> byKey = new LinkedHashMap<>();

    Scores(Collection<RunResult> results) {
      for (RunResult r : results) {
        String full = r.getParams().getBenchmark();
        String key = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
        String samples = r.getParams().getParam("samples");
        byKey.put(samples == null ? key : key + "[" + samples + "]", r);
      }
    }

    double score(String key) {
      RunResult r = byKey.get(key);
      if (r == null) throw new IllegalStateException("no result for " + key);
      return r.getPrimaryResult().getScore();
    }

    String cell(String key) {
      Result<?> p = byKey.get(key).getPrimaryResult();
      return String.format(Locale.ROOT, "%s ± %s", human(p.getScore()), human(p.getScoreError()));
    }

    double allocPerOp(String key) {
      Result<?> r = byKey.get(key).getSecondaryResults().get("gc.alloc.rate.norm");
      return r == null ? Double.NaN : r.getScore();
    }

    double percentile(String key, double p) {
      return byKey.get(key).getPrimaryResult().getStatistics().getPercentile(p);
    }

    /** The measured iterations' scores, one array per fork. */
    double[][] iterations(String key) {
      RunResult r = byKey.get(key);
      if (r == null) throw new IllegalStateException("no result for " + key);
      List<double[]> forks = new ArrayList<>();
      for (org.openjdk.jmh.results.BenchmarkResult fork : r.getBenchmarkResults()) {
        List<Double> its = new ArrayList<>();
        for (org.openjdk.jmh.results.IterationResult it : fork.getIterationResults()) its.add(it.getPrimaryResult().getScore());
        forks.add(its.stream().mapToDouble(Double::doubleValue).toArray());
      }
      return forks.toArray(new double[0][]);
    }

    /** The 99.9% interval of score(a) / score(b), by a bootstrap over the iterations (see {@link Interval}). */
    double[] ratioInterval(String a, String b) {
      return Interval.ratio(iterations(a), iterations(b), 10_000, 42L);
    }
  }

  /**
   * A percentile bootstrap of a ratio of means over the measured iterations, stratified by fork:
   * each resample draws each fork's iterations with replacement, averages them, averages the forks,
   * and divides; the interval is the 0.05th to the 99.95th percentile of the resampled ratios.
   */
  static final class Interval {
    private Interval() {}

    static double[] ratio(double[][] a, double[][] b, int resamples, long seed) {
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
      double[] ratios = new double[resamples];
      for (int k = 0; k < resamples; k++) ratios[k] = resampledMean(a, random) / resampledMean(b, random);
      java.util.Arrays.sort(ratios);
      int lo = (int) Math.floor(0.0005 * (resamples - 1));
      int hi = (int) Math.ceil(0.9995 * (resamples - 1));
      return new double[] {ratios[lo], ratios[hi]};
    }

    private static double resampledMean(double[][] forks, java.util.SplittableRandom random) {
      double sum = 0;
      for (double[] its : forks) {
        double s = 0;
        for (int i = 0; i < its.length; i++) s += its[random.nextInt(its.length)];
        sum += s / its.length;
      }
      return sum / forks.length;
    }
  }

  /** One comparison: Sluice against one peer, and the ratio Sluice/peer (higher is better). */
  static final class Ratio {
    final String label;
    final double value;

    Ratio(String label, double value) {
      this.label = label;
      this.value = value;
    }
  }

  static List<Ratio> ratios(Scores s) {
    List<Ratio> out = new ArrayList<>();
    String b1 = "ChunkingBenchmark.sluiceStreamBuffer";
    out.add(new Ratio("B1 vs Flow.chunked", s.score(b1) / s.score("ChunkingBenchmark.kotlinFlowChunked")));
    out.add(new Ratio("B1 vs Sequence.chunked", s.score(b1) / s.score("ChunkingBenchmark.kotlinSequenceChunked")));
    out.add(new Ratio("B1 vs Flux.buffer", s.score(b1) / s.score("ChunkingBenchmark.reactorFluxBuffer")));
    out.add(new Ratio("B1 vs Flowable.buffer", s.score(b1) / s.score("ChunkingBenchmark.rxJavaFlowableBuffer")));
    String b2 = "SlidingWindowBenchmark.sluiceStreamBuffer";
    out.add(new Ratio("B2 vs Sequence.windowed", s.score(b2) / s.score("SlidingWindowBenchmark.kotlinSequenceWindowed")));
    out.add(new Ratio("B2 vs Flux.buffer", s.score(b2) / s.score("SlidingWindowBenchmark.reactorFluxBuffer")));
    out.add(new Ratio("B2 vs Flowable.buffer", s.score(b2) / s.score("SlidingWindowBenchmark.rxJavaFlowableBuffer")));
    out.add(new Ratio("B2 vs reference design", s.score(b2) / s.score("SlidingWindowBenchmark.referenceCopyOnPop")));
    out.add(new Ratio("B2 bursty vs reference design", s.score("SlidingWindowBenchmark.sluiceStreamBufferBursty") / s.score("SlidingWindowBenchmark.referenceCopyOnPopBursty")));
    out.add(new Ratio("B3 vs HF slicing", s.score("LeftContextBenchmark.sluiceStreamBuffer") / s.score("LeftContextBenchmark.hfChunkedDecodeSlicing")));
    out.add(new Ratio("B3 appendAll vs HF slicing", s.score("LeftContextBenchmark.sluiceStreamBufferAppendAll") / s.score("LeftContextBenchmark.hfChunkedDecodeSlicing")));
    out.add(new Ratio("B4 vs arraycopy", s.score("ReframerBenchmark.sluiceFloatReframer") / s.score("ReframerBenchmark.systemArraycopy")));
    String b5 = "HandoffBenchmark.sluiceAsyncAudioStreamer";
    out.add(new Ratio("B5 vs Channel", s.score(b5) / s.score("HandoffBenchmark.kotlinChannel")));
    out.add(new Ratio("B5 vs LinkedBlockingQueue", s.score(b5) / s.score("HandoffBenchmark.linkedBlockingQueue")));
    for (String n : new String[] {"1", "8", "64"}) {
      out.add(new Ratio("B6 batch(" + n + ") vs poll+sleep", s.score("BatchBenchmark.sluiceBatch[" + n + "]") / s.score("BatchBenchmark.pollAndSleep[" + n + "]")));
    }
    for (String n : new String[] {"1", "8", "64"}) {
      // Latency: lower is better, so the ratio is peer/Sluice to keep "higher is better".
      out.add(new Ratio("B6 latency(" + n + ") poll+sleep/Sluice", s.score("BatchLatencyBenchmark.pollAndSleep[" + n + "]") / s.score("BatchLatencyBenchmark.sluiceBatch[" + n + "]")));
    }
    // Time per map: lower is better, so the ratio is 10 samples / 10,000 samples.
    out.add(new Ratio("B8 batch map, 10 / 10,000 samples", s.score("IdleBatchBenchmark.oneActiveSample[10]") / s.score("IdleBatchBenchmark.oneActiveSample[10000]")));
    out.add(new Ratio("B7 vs raw gRPC bidi", s.score("EdgeBenchmark.sluiceEdge") / s.score("EdgeBenchmark.rawGrpcBidi")));
    out.add(new Ratio("B9 vs ByteBuffer.asShortBuffer", s.score("PcmDecodeBenchmark.sluicePcmDecoder") / s.score("PcmDecodeBenchmark.byteBufferAsShortBuffer")));
    return out;
  }

  static String markdown(Scores s) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Generated by `./bench` (`dev.sluice.benchmarks.Report`); do not edit the numbers by hand.\n\n");
    md.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
    md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.vm.version")).append('\n');
    md.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(", CPUs: ").append(Runtime.getRuntime().availableProcessors())
        .append(", max heap: ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB\n");
    md.append("- Profile: **").append(PROFILE).append("** (`./bench").append(PROFILE.equals("full") ? " --full" : "").append("`): ")
        .append(FORKS).append(FORKS == 1 ? " fork, " : " forks, ").append(WARMUPS).append(" warm-up and ")
        .append(ITERATIONS).append(" measured iterations of 1 s each, with `-prof gc`. ")
        .append("On a shared, noisy 2-core machine the errors are wide; read the ratios, not the third digit.\n");
    md.append("- Intervals: 99.9%, from a bootstrap over the measured iterations, stratified by fork (10,000 resamples). ")
        .append("A target counts as met only when the lower end of its interval clears it.\n\n");
    md.append("Ratios are Sluice / peer on the same input in the same run: above 1 means Sluice is faster.\n\n");

    table(md, s, "B1: fixed chunks of 64 over 1M items", "items/s", new String[][] {
      {"Sluice `StreamBuffer` + `FixedChunkPolicy(64)`", "ChunkingBenchmark.sluiceStreamBuffer"},
      {"kotlinx `Flow.chunked(64)`", "ChunkingBenchmark.kotlinFlowChunked"},
      {"`Sequence.chunked(64)`", "ChunkingBenchmark.kotlinSequenceChunked"},
      {"Reactor `Flux.buffer(64)`", "ChunkingBenchmark.reactorFluxBuffer"},
      {"RxJava 3 `Flowable.buffer(64)`", "ChunkingBenchmark.rxJavaFlowableBuffer"},
    });
    table(md, s, "B2: sliding windows of 28, stride 7, over 1M items", "items/s", new String[][] {
      {"Sluice `StreamBuffer` + `SlidingWindowChunkPolicy(28, 7)`", "SlidingWindowBenchmark.sluiceStreamBuffer"},
      {"`Sequence.windowed(28, 7)`", "SlidingWindowBenchmark.kotlinSequenceWindowed"},
      {"Reactor `Flux.buffer(28, 7)`", "SlidingWindowBenchmark.reactorFluxBuffer"},
      {"RxJava 3 `Flowable.buffer(28, 7)`", "SlidingWindowBenchmark.rxJavaFlowableBuffer"},
      {"reference design, copies the retained list on every pop", "SlidingWindowBenchmark.referenceCopyOnPop"},
    });
    table(md, s, "B2, bursty consumer: the same, popping only after every 1024 items", "items/s", new String[][] {
      {"Sluice `StreamBuffer` + `SlidingWindowChunkPolicy(28, 7)`", "SlidingWindowBenchmark.sluiceStreamBufferBursty"},
      {"reference design, copies the retained list on every pop", "SlidingWindowBenchmark.referenceCopyOnPopBursty"},
    });
    table(md, s, "B3: chunks of 300 with left context 25 over 1M frames (ratios: the first row over each)", "items/s", new String[][] {
      {"Sluice `StreamBuffer` + `LeftContextChunkPolicy(300, 25)`, items in blocks of 8 through `appendAll`", "LeftContextBenchmark.sluiceStreamBufferAppendAll"},
      {"the same, items arriving one by one (`append`)", "LeftContextBenchmark.sluiceStreamBuffer"},
      {"HF `chunked_decode` slicing loop over an `int[]` known in advance", "LeftContextBenchmark.hfChunkedDecodeSlicing"},
    });
    md.append("### B4: re-framing random bursts (1..4096 floats) into 480-sample frames\n\n");
    md.append("| implementation | floats/s | GB/s | allocated B per 4M-float pass | Sluice/peer |\n|---|---|---|---|---|\n");
    double sluice4 = s.score("ReframerBenchmark.sluiceFloatReframer");
    for (String[] row : new String[][] {
      {"Sluice `FloatReframer` + `FixedChunkPolicy(480)`", "ReframerBenchmark.sluiceFloatReframer"},
      {"`System.arraycopy` of the same bursts", "ReframerBenchmark.systemArraycopy"},
    }) {
      double score = s.score(row[1]);
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f | %s |%n", row[0], s.cell(row[1]), score * 4 / 1e9,
          s.allocPerOp(row[1]) * ReframerBenchmark.TOTAL, row[1].contains("sluice") ? "" : String.format(Locale.ROOT, "%.2f", sluice4 / score)));
    }
    md.append('\n');
    table(md, s, "B5: handing 480-float chunks from a producer thread to a consumer (capacity 64)", "chunks/s", new String[][] {
      {"Sluice `AsyncAudioStreamer` (thread `put`, coroutine `stream`)", "HandoffBenchmark.sluiceAsyncAudioStreamer"},
      {"kotlinx `Channel(64)` (`trySendBlocking`, coroutine receive)", "HandoffBenchmark.kotlinChannel"},
      {"`LinkedBlockingQueue(64)`", "HandoffBenchmark.linkedBlockingQueue"},
    });
    md.append("### B6: reading a batch (64k chunks round-robin over N samples)\n\n");
    md.append("| samples | Sluice `batch()` chunks/s | poll-and-sleep (1 ms) chunks/s | Sluice/peer |\n|---|---|---|---|\n");
    for (String n : new String[] {"1", "8", "64"}) {
      String a = "BatchBenchmark.sluiceBatch[" + n + "]";
      String b = "BatchBenchmark.pollAndSleep[" + n + "]";
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f |%n", n, s.cell(a), s.cell(b), s.score(a) / s.score(b)));
    }
    md.append("\nLatency, one chunk put while the consumer waits, until the consumer has it (SampleTime, µs):\n\n");
    md.append("| samples | Sluice mean | p50 | p99 | poll-and-sleep mean | p50 | p99 |\n|---|---|---|---|---|---|---|\n");
    for (String n : new String[] {"1", "8", "64"}) {
      String a = "BatchLatencyBenchmark.sluiceBatch[" + n + "]";
      String b = "BatchLatencyBenchmark.pollAndSleep[" + n + "]";
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", n, s.score(a), s.percentile(a, 50),
          s.percentile(a, 99), s.score(b), s.percentile(b, 50), s.percentile(b, 99)));
    }
    md.append('\n');
    table(md, s, "B7: 20k items over gRPC on loopback (Netty), into a 28/7 sliding window", "items/s", new String[][] {
      {"Sluice `EdgeSender` -> `EdgeReceiver` (sequence numbers, acks, window of 256)", "EdgeBenchmark.sluiceEdge"},
      {"raw grpc-kotlin bidi stream that only forwards the items", "EdgeBenchmark.rawGrpcBidi"},
    });
    md.append("Latency from the put of a stride (7 items) to the consumer's chunk (SampleTime, µs):\n\n");
    md.append("| path | mean | p50 | p99 |\n|---|---|---|---|\n");
    for (String[] row : new String[][] {
      {"gRPC edge on loopback", "EdgeLatencyBenchmark.sluiceEdge"},
      {"in-process `StreamBuffer`", "EdgeLatencyBenchmark.inProcessBuffer"},
    }) {
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", row[0], s.score(row[1]), s.percentile(row[1], 50), s.percentile(row[1], 99)));
    }
    md.append('\n');
    md.append("### B8: one `batch()` map with one active sample, in a batch of N (µs per round trip)\n\n");
    md.append("| samples | Sluice `batch()` | cost / cost at 10 |\n|---|---|---|\n");
    for (String n : new String[] {"10", "1000", "10000"}) {
      String a = "IdleBatchBenchmark.oneActiveSample[" + n + "]";
      md.append(String.format(Locale.ROOT, "| %s | %s | %.2f |%n", n, s.cell(a), s.score(a) / s.score("IdleBatchBenchmark.oneActiveSample[10]")));
    }
    md.append('\n');
    table(md, s, "B9: decoding 1 MiB of 16-bit little-endian PCM, in chunks of 1..4096 bytes, to floats", "samples/s", new String[][] {
      {"Sluice `PcmDecoder.decodeInto` (odd chunks, half samples carried)", "PcmDecodeBenchmark.sluicePcmDecoder"},
      {"`ByteBuffer.asShortBuffer()` of the same bytes (even chunks)", "PcmDecodeBenchmark.byteBufferAsShortBuffer"},
    });
    md.append("\n## Targets\n\n| target | measured | 99.9% interval | met |\n|---|---|---|---|\n");
    String fastestB2 = "SlidingWindowBenchmark.kotlinSequenceWindowed";
    for (String peer : new String[] {"SlidingWindowBenchmark.reactorFluxBuffer", "SlidingWindowBenchmark.rxJavaFlowableBuffer", "SlidingWindowBenchmark.referenceCopyOnPop"}) {
      if (s.score(peer) > s.score(fastestB2)) fastestB2 = peer;
    }
    target(md, s, "B2 ≥ 1.5× the fastest peer (eager consumer)", "SlidingWindowBenchmark.sluiceStreamBuffer", fastestB2, 1.5);
    target(md, s, "B1 ≥ 1.0× Flow.chunked", "ChunkingBenchmark.sluiceStreamBuffer", "ChunkingBenchmark.kotlinFlowChunked", 1.0);
    target(md, s, "B4 ≥ 0.5 of arraycopy bandwidth", "ReframerBenchmark.sluiceFloatReframer", "ReframerBenchmark.systemArraycopy", 0.5);
    target(md, s, "B5 ≥ 0.8× Channel", "HandoffBenchmark.sluiceAsyncAudioStreamer", "HandoffBenchmark.kotlinChannel", 0.8);
    target(md, s, "B5 ≥ 1.0× LinkedBlockingQueue", "HandoffBenchmark.sluiceAsyncAudioStreamer", "HandoffBenchmark.linkedBlockingQueue", 1.0);
    target(md, s, "B7 ≥ 0.7× a raw gRPC bidi stream", "EdgeBenchmark.sluiceEdge", "EdgeBenchmark.rawGrpcBidi", 0.7);
    target(md, s, "B3 with appendAll ≥ 0.25× HF slicing", "LeftContextBenchmark.sluiceStreamBufferAppendAll", "LeftContextBenchmark.hfChunkedDecodeSlicing", 0.25);
    target(md, s, "B9 ≥ 0.7× ByteBuffer.asShortBuffer", "PcmDecodeBenchmark.sluicePcmDecoder", "PcmDecodeBenchmark.byteBufferAsShortBuffer", 0.7);
    target(md, s, "B8 a batch() map at 10,000 samples within 2× of 10 (time at 10 / time at 10,000 ≥ 0.5)",
        "IdleBatchBenchmark.oneActiveSample[10]", "IdleBatchBenchmark.oneActiveSample[10000]", 0.5);
    target(md, s, "B6 throughput at 64 samples ≥ 0.5× at 1 sample", "BatchBenchmark.sluiceBatch[64]", "BatchBenchmark.sluiceBatch[1]", 0.5);
    for (String n : new String[] {"1", "8", "64"}) {
      String a = "BatchLatencyBenchmark.sluiceBatch[" + n + "]";
      String b = "BatchLatencyBenchmark.pollAndSleep[" + n + "]";
      target(md, s, "B6 latency far below poll-and-sleep, " + n + " samples, mean (peer/Sluice ≥ 2)", b, a, 2.0);
      target(md, "B6 latency far below poll-and-sleep, " + n + " samples, p99 (peer/Sluice ≥ 2)", s.percentile(b, 99) / s.percentile(a, 99), 2.0);
    }
    md.append(String.format(Locale.ROOT, "%nB4 allocation: %.3f B per float re-framed (`gc.alloc.rate.norm`).%n",
        s.allocPerOp("ReframerBenchmark.sluiceFloatReframer")));
    md.append("\n![Sluice / peer ratios](benchmarks.png)\n");
    return md.toString();
  }

  static void table(StringBuilder md, Scores s, String title, String unit, String[][] rows) {
    md.append("### ").append(title).append("\n\n| implementation | ").append(unit).append(" | Sluice/peer |\n|---|---|---|\n");
    double sluice = s.score(rows[0][1]);
    for (String[] row : rows) {
      String ratio = row == rows[0] ? "" : String.format(Locale.ROOT, "%.2f", sluice / s.score(row[1]));
      md.append("| ").append(row[0]).append(" | ").append(s.cell(row[1])).append(" | ").append(ratio).append(" |\n");
    }
    md.append('\n');
  }

  /** A target on score(a) / score(b): met only when the lower end of its interval clears [goal]. */
  static void target(StringBuilder md, Scores s, String what, String a, String b, double goal) {
    double[] interval = s.ratioInterval(a, b);
    md.append(String.format(Locale.ROOT, "| %s | %.2f | [%.2f, %.2f] | %s |%n", what, s.score(a) / s.score(b), interval[0], interval[1],
        interval[0] >= goal ? "yes" : "**no**"));
  }

  /** A target on a percentile, which the bootstrap over iteration means does not cover: the point value only. */
  static void target(StringBuilder md, String what, double value, double goal) {
    md.append(String.format(Locale.ROOT, "| %s | %.2f | n/a (a percentile) | %s |%n", what, value, value >= goal ? "yes" : "**no**"));
  }

  static void chart(Scores s, Path png) throws IOException {
    List<Ratio> ratios = ratios(s);
    List<String> labels = new ArrayList<>();
    List<Double> faster = new ArrayList<>();
    List<Double> slower = new ArrayList<>();
    double min = 1;
    double max = 1;
    for (Ratio r : ratios) {
      labels.add(r.label);
      faster.add(r.value >= 1 ? r.value : null);
      slower.add(r.value < 1 ? r.value : null);
      min = Math.min(min, r.value);
      max = Math.max(max, r.value);
    }
    CategoryChart chart =
        new CategoryChartBuilder().width(1200).height(650).title("Sluice / peer, same input, same run (above 1: Sluice is faster)")
            .yAxisTitle("ratio (log scale)").build();
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setYAxisLogarithmic(true);
    // A logarithmic bar chart needs explicit bounds: whole decades around the data.
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
    chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
    chart.getStyler().setSeriesColors(new java.awt.Color[] {new java.awt.Color(0x2e8b57), new java.awt.Color(0xc0392b)});
    chart.addSeries("Sluice faster", labels, faster);
    chart.addSeries("Sluice slower", labels, slower);
    BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
  }

  static String human(double v) {
    if (Math.abs(v) >= 1e9) return String.format(Locale.ROOT, "%.2fG", v / 1e9);
    if (Math.abs(v) >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    if (Math.abs(v) >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}

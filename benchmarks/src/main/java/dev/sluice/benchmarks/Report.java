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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs every benchmark and writes the report: the JMH JSON, a Markdown table per benchmark with
 * Sluice and its peers side by side, each target's ratio with a 99.9% interval, and a bar chart of
 * the ratios. Usage: {@code Report [--full] [docs-dir]}. The quick profile is 1 fork, 2 warm-up and
 * 3 measured iterations; {@code --full} is 4 forks, 3 warm-up and 10 measured iterations, and
 * B8's load ({@code ManyStreamsBenchmark}), which takes longer to settle, gets 8 warm-up iterations.
 *
 * <p>The forks run in rounds: round k runs fork k of every benchmark, each as its own JMH run, and
 * the rounds' results are then merged per benchmark. A figure's forks are thus spread over the whole
 * run, not run back to back, so a slow spell of the shared machine falls on Sluice and its peers
 * alike and widens the intervals, instead of moving one figure and not its peer.
 */
public final class Report {
  static int FORKS = 1;
  static int WARMUPS = 2;
  static int ITERATIONS = 3;
  /**
   * Warm-up iterations of B8's load and of B7: 10,000 coroutines or threads settle more slowly than
   * the rest, and so does gRPC on loopback (seen on both sides: 47k-57k items/s in the 2nd to 4th
   * second, then 13k-20k from the 6th on).
   */
  static int LOAD_WARMUPS = 2;
  static String PROFILE = "quick";

  private Report() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    List<String> rest = new ArrayList<>(java.util.Arrays.asList(args));
    if (rest.remove("--full")) {
      FORKS = 4;
      WARMUPS = 3;
      ITERATIONS = 10;
      LOAD_WARMUPS = 8;
      PROFILE = "full";
    }
    Path docs = Paths.get(rest.isEmpty() ? "docs" : rest.get(0));
    Files.createDirectories(docs);
    // B8's load and B7 run apart, with more warm-up; B8's virtual-thread peer needs JDK 21+, on a second JVM.
    Path json = docs.resolve("benchmarks.json");
    Path json21 = docs.resolve("benchmarks-jdk21.json");
    Files.deleteIfExists(json);
    Files.deleteIfExists(json21);
    JDK21 = jdk21();
    String allButLoad = "(?!ManyStreams|Edge)[A-Za-z]+";
    String slowToSettle = "(ManyStreams|Edge|EdgeLatency)";
    List<RunResult> rounds = new ArrayList<>();
    List<RunResult> rounds21 = new ArrayList<>();
    for (int round = 1; round <= FORKS; round++) {
      System.out.println("# round " + round + " of " + FORKS + ": fork " + round + " of every benchmark");
      rounds.addAll(run(allButLoad, WARMUPS, null, "sluice", "channel", "platformThreads"));
      rounds.addAll(run(slowToSettle, LOAD_WARMUPS, null, "sluice", "channel", "platformThreads"));
      if (JDK21 != null) {
        rounds21.addAll(run("IdleStreams", WARMUPS, JDK21, "virtualThreads"));
        rounds21.addAll(run("ManyStreams", LOAD_WARMUPS, JDK21, "virtualThreads"));
      }
    }
    List<RunResult> results = mergeForks(rounds);
    List<RunResult> results21 = mergeForks(rounds21);
    writeJson(results, json);
    if (JDK21 != null) writeJson(results21, json21);
    results.addAll(results21);
    Scores scores = new Scores(results);
    Files.write(docs.resolve("benchmarks.md"), markdown(scores).getBytes(StandardCharsets.UTF_8));
    chart(scores, docs.resolve("benchmarks.png"));
    System.out.println("wrote " + docs.resolve("benchmarks.md") + ", benchmarks.png and benchmarks.json");
  }

  /**
   * Writes {@code results} to {@code json} in JMH's JSON format, with the number of forks each merged
   * result holds and with no directory of the machine it ran on.
   */
  static void writeJson(Collection<RunResult> results, Path json) throws IOException {
    ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(results);
    String text = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
    Files.write(json, stripJvmPaths(withForks(text, results)).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One result per benchmark (and param) out of {@code rounds}, the results of several runs of one fork
   * each: its forks are the rounds' forks, in the order they ran, so its score and error are those
   * of one run with that many forks. Benchmarks keep the order of their first round.
   */
  static List<RunResult> mergeForks(Collection<RunResult> rounds) {
    Map<String, RunResult> first = new LinkedHashMap<>();
    Map<String, List<BenchmarkResult>> forks = new LinkedHashMap<>();
    for (RunResult r : rounds) {
      String key = key(r.getParams());
      first.putIfAbsent(key, r);
      forks.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.getBenchmarkResults());
    }
    List<RunResult> merged = new ArrayList<>();
    for (Map.Entry<String, RunResult> e : first.entrySet()) {
      merged.add(new RunResult(e.getValue().getParams(), forks.get(e.getKey())));
    }
    return merged;
  }

  /** A benchmark and its params, such as {@code dev.sluice.benchmarks.X.y[impl=sluice]}. */
  private static String key(BenchmarkParams p) {
    StringBuilder key = new StringBuilder(p.getBenchmark()).append('[');
    for (String name : p.getParamsKeys()) key.append(name).append('=').append(p.getParam(name)).append(';');
    return key.append(']').toString();
  }

  /**
   * JMH's JSON for merged results says {@code "forks" : 1}, the setting each round ran with; this
   * puts each result's real number of forks in its place, in order.
   */
  static String withForks(String json, Collection<RunResult> results) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"forks\"\\s*:\\s*\\d+").matcher(json);
    java.util.Iterator<RunResult> each = results.iterator();
    StringBuffer out = new StringBuffer();
    while (m.find()) {
      if (!each.hasNext()) throw new IllegalArgumentException("more \"forks\" fields than results");
      m.appendReplacement(out, "\"forks\" : " + each.next().getBenchmarkResults().size());
    }
    if (each.hasNext()) throw new IllegalArgumentException("fewer \"forks\" fields than results");
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Runs one fork of the benchmarks {@code dev.sluice.benchmarks.<classes>Benchmark} ({@code
   * classes} is a regex) with {@code warmups} warm-up iterations, on the JDK at {@code jdk} (null:
   * the running one), for the given {@code impl} params.
   */
  static Collection<RunResult> run(String classes, int warmups, Path jdk, String... impls) throws Exception {
    ChainedOptionsBuilder b =
        profile(new OptionsBuilder(), warmups)
            .include("dev\\.sluice\\.benchmarks\\." + classes + "Benchmark\\.")
            .param("impl", impls);
    if (jdk != null) b = b.jvm(jdk.resolve("bin").resolve("java").toString());
    return new Runner(b.build()).run();
  }

  static String stripJvmPaths(String json) {
    return json.replaceAll("\"jvm\"\\s*:\\s*\"[^\"]*\"", "\"jvm\" : \"java\"");
  }

  /** The JDK 21+ that ran B8's virtual-thread peer, or null if none was found. */
  static Path JDK21;

  static ChainedOptionsBuilder profile(ChainedOptionsBuilder b, int warmups) {
    return b.forks(1)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(ITERATIONS)
        .measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class);
  }

  /**
   * A JDK of version 21 or later for the virtual-thread peer: {@code SLUICE_BENCH_JDK21} if set,
   * else the first JDK installed beside the running one (a sibling of its home) whose {@code release}
   * file says 21 or later. Null when there is none.
   */
  static Path jdk21() throws IOException {
    String set = System.getenv("SLUICE_BENCH_JDK21");
    if (set != null && !set.isEmpty()) return Paths.get(set);
    Path home = Paths.get(System.getProperty("java.home")).toAbsolutePath();
    Path parent = home.getParent();
    if (parent == null) return null;
    try (java.util.stream.Stream<Path> siblings = Files.list(parent)) {
      for (Path jdk : (Iterable<Path>) siblings.sorted()::iterator) {
        if (Files.isExecutable(jdk.resolve("bin").resolve("java")) && majorVersion(jdk) >= 21) return jdk;
      }
    }
    return null;
  }

  /** The major version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"}), or 0. */
  static int majorVersion(Path jdk) throws IOException {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) return 0;
    for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
      if (m.find()) return Integer.parseInt(m.group(1));
    }
    return 0;
  }

  /** The results by "Class.method", "Class.method[samples]" or "Class.method[impl]". */
  static final class Scores {
    final Map<String, RunResult> byKey = new LinkedHashMap<>();

    Scores(Collection<RunResult> results) {
      for (RunResult r : results) {
        String full = r.getParams().getBenchmark();
        String key = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
        String param = r.getParams().getParam("samples");
        if (param == null) param = r.getParams().getParam("impl");
        byKey.put(param == null ? key : key + "[" + param + "]", r);
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

    boolean has(String key) {
      return byKey.containsKey(key);
    }

    /** The mean over the measured iterations of the secondary result [metric] (set per iteration). */
    double secondaryMean(String key, String metric) {
      return secondaryStatistics(key, metric).getMean();
    }

    /** The secondary result [metric]'s values over the measured iterations of every fork, as one sample. */
    ListStatistics secondaryStatistics(String key, String metric) {
      ListStatistics values = new ListStatistics();
      for (double[] fork : iterations(key, metric)) {
        for (double v : fork) values.addValue(v);
      }
      return values;
    }

    /** The measured iterations' scores, one array per fork. */
    double[][] iterations(String key) {
      return iterations(key, null);
    }

    /** The measured iterations' values of [metric] (the primary score when null), one array per fork. */
    double[][] iterations(String key, String metric) {
      RunResult r = byKey.get(key);
      if (r == null) throw new IllegalStateException("no result for " + key);
      List<double[]> forks = new ArrayList<>();
      for (org.openjdk.jmh.results.BenchmarkResult fork : r.getBenchmarkResults()) {
        List<Double> its = new ArrayList<>();
        for (org.openjdk.jmh.results.IterationResult it : fork.getIterationResults()) {
          Result<?> value = metric == null ? it.getPrimaryResult() : it.getSecondaryResults().get(metric);
          if (value == null) throw new IllegalStateException("no " + metric + " in " + key);
          its.add(value.getScore());
        }
        forks.add(its.stream().mapToDouble(Double::doubleValue).toArray());
      }
      return forks.toArray(new double[0][]);
    }

    /**
     * The 99.9% interval of score(a) / score(b), by a bootstrap over the iterations (see {@link
     * Interval}), of the secondary result [metric] set per iteration, or of the primary score when null.
     */
    double[] ratioInterval(String a, String b, String metric) {
      return Interval.ratio(iterations(a, metric), iterations(b, metric), 10_000, 42L);
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
    out.add(new Ratio("B3 IntReframer vs HF slicing", s.score("LeftContextBenchmark.sluiceIntReframerCopied") / s.score("LeftContextBenchmark.hfChunkedDecodeSlicing")));
    out.add(new Ratio("B4 vs arraycopy", s.score("ReframerBenchmark.sluiceFloatReframer") / s.score("ReframerBenchmark.systemArraycopy")));
    String b5 = "HandoffBenchmark.sluiceAsyncAudioStreamer";
    out.add(new Ratio("B5 vs Channel", s.score(b5) / s.score("HandoffBenchmark.kotlinChannel")));
    out.add(new Ratio("B5 vs LinkedBlockingQueue", s.score(b5) / s.score("HandoffBenchmark.linkedBlockingQueue")));
    out.add(new Ratio("B5 thread consumer vs LinkedBlockingQueue", s.score("HandoffBenchmark.sluiceBlockingReader") / s.score("HandoffBenchmark.linkedBlockingQueue")));
    for (String n : new String[] {"1", "8", "64"}) {
      out.add(new Ratio("B6 batch(" + n + ") vs poll+sleep", s.score("BatchBenchmark.sluiceBatch[" + n + "]") / s.score("BatchBenchmark.pollAndSleep[" + n + "]")));
    }
    for (String n : new String[] {"1", "8", "64"}) {
      // Latency: lower is better, so the ratio is peer/Sluice to keep "higher is better".
      out.add(new Ratio("B6 latency(" + n + ") poll+sleep/Sluice", s.score("BatchLatencyBenchmark.pollAndSleep[" + n + "]") / s.score("BatchLatencyBenchmark.sluiceBatch[" + n + "]")));
    }
    // Time per map: lower is better, so the ratio is 10 samples / 10,000 samples.
    out.add(new Ratio("B8 batch map, 10 / 10,000 samples", s.score("IdleBatchBenchmark.oneActiveSample[10]") / s.score("IdleBatchBenchmark.oneActiveSample[10000]")));
    out.add(new Ratio("B8 10k streams vs Channel", s.score("ManyStreamsBenchmark.round[sluice]") / s.score("ManyStreamsBenchmark.round[channel]")));
    out.add(new Ratio("B8 idle heap Channel/Sluice", s.secondaryMean("IdleStreamsBenchmark.idleStreams[channel]", "bytesPerStream")
        / s.secondaryMean("IdleStreamsBenchmark.idleStreams[sluice]", "bytesPerStream")));
    out.add(new Ratio("B8 p99 Channel/Sluice", s.secondaryMean("ManyStreamsBenchmark.round[channel]", "p99Nanos")
        / s.secondaryMean("ManyStreamsBenchmark.round[sluice]", "p99Nanos")));
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
    try {
      md.append("- B8's virtual-thread peer: ")
          .append(JDK21 == null ? "not run, " + missingJdk21() : "a second JVM, JDK " + majorVersion(JDK21) + ", with the same profile")
          .append('\n');
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    md.append("- Profile: **").append(PROFILE).append("** (`./bench").append(PROFILE.equals("full") ? " --full" : "").append("`): ")
        .append(FORKS).append(FORKS == 1 ? " fork, " : " forks, ").append(WARMUPS).append(" warm-up and ")
        .append(ITERATIONS).append(" measured iterations of 1 s each, with `-prof gc`; B8's load (in a fixed 4 GiB heap, its streams promoted to the old generation as a server's long-lived sessions are: `-XX:MaxTenuringThreshold=0`) and B7 (gRPC), ")
        .append(LOAD_WARMUPS).append(" warm-up iterations, since both settle more slowly. ")
        .append(FORKS == 1 ? "" : "The forks ran in " + FORKS + " rounds, round k running fork k of every benchmark, so that each "
            + "figure's forks are spread over the whole run and a slow spell of the machine falls on Sluice and its peers alike. ")
        .append("On a shared, noisy 2-core machine the errors are wide; read the ratios, not the third digit.\n");
    md.append("- Intervals: 99.9%, from a bootstrap over the measured iterations, stratified by fork (10,000 resamples). ")
        .append("A target counts as met only when the lower end of its interval clears it.\n\n");
    md.append("- Precision: ").append(precision(s)).append("\n\n");
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
      {"Sluice `IntReframer` + `LeftContextChunkPolicy(300, 25)`, codes in blocks of 8 through `push`, each frame copied out (`toArray`)", "LeftContextBenchmark.sluiceIntReframerCopied"},
      {"the same, each frame read in place", "LeftContextBenchmark.sluiceIntReframer"},
      {"Sluice `StreamBuffer<Int>` + the same policy, boxed items in blocks of 8 through `appendAll`", "LeftContextBenchmark.sluiceStreamBufferAppendAll"},
      {"`StreamBuffer<Int>`, items arriving one by one (`append`)", "LeftContextBenchmark.sluiceStreamBuffer"},
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
      {"Sluice, the consumer on a thread (`BlockingAudioReader.iterator`)", "HandoffBenchmark.sluiceBlockingReader"},
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
    md.append("\nLatency, one chunk put while the consumer waits, until the consumer has it (SampleTime, µs). Before each timed "
        + "round trip, untimed, the harness waits until the consumer is blocked (suspended in `batch()`, or asleep between "
        + "passes) and then a random 0 to 1 ms, so the put lands at a random moment of the wait; each design runs with only "
        + "its own consumer alive:\n\n");
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
    manyStreams(md, s);
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
    target(md, s, "B5 with the consumer on a thread too (`BlockingAudioReader`), ≥ 1.0× LinkedBlockingQueue", "HandoffBenchmark.sluiceBlockingReader", "HandoffBenchmark.linkedBlockingQueue", 1.0);
    target(md, s, "B7 ≥ 0.7× a raw gRPC bidi stream", "EdgeBenchmark.sluiceEdge", "EdgeBenchmark.rawGrpcBidi", 0.7);
    target(md, s, "B3 bulk ingest of codes (`IntReframer.push`, frames copied out) ≥ 0.25× HF slicing", "LeftContextBenchmark.sluiceIntReframerCopied", "LeftContextBenchmark.hfChunkedDecodeSlicing", 0.25);
    target(md, s, "B3 bulk ingest of boxed items (`StreamBuffer<Int>.appendAll`) ≥ 0.25× HF slicing", "LeftContextBenchmark.sluiceStreamBufferAppendAll", "LeftContextBenchmark.hfChunkedDecodeSlicing", 0.25);
    target(md, s, "B9 ≥ 0.7× ByteBuffer.asShortBuffer", "PcmDecodeBenchmark.sluicePcmDecoder", "PcmDecodeBenchmark.byteBufferAsShortBuffer", 0.7);
    target(md, s, "B8 a batch() map at 10,000 samples within 2× of 10 (time at 10 / time at 10,000 ≥ 0.5)",
        "IdleBatchBenchmark.oneActiveSample[10]", "IdleBatchBenchmark.oneActiveSample[10000]", 0.5);
    target(md, s, "B8 retained heap per idle stream ≤ 1.5× the Channel peer's (Channel / Sluice ≥ 0.67)",
        "IdleStreamsBenchmark.idleStreams[channel]", "IdleStreamsBenchmark.idleStreams[sluice]", "bytesPerStream", 1 / 1.5);
    target(md, s, "B8 throughput over 10,000 streams ≥ 1.0× the Channel peer",
        "ManyStreamsBenchmark.round[sluice]", "ManyStreamsBenchmark.round[channel]", 1.0);
    target(md, s, "B8 p99 latency no worse than the Channel peer's (Channel / Sluice ≥ 1.0)",
        "ManyStreamsBenchmark.round[channel]", "ManyStreamsBenchmark.round[sluice]", "p99Nanos", 1.0);
    target(md, s, "B6 throughput at 64 samples ≥ 0.5× at 1 sample", "BatchBenchmark.sluiceBatch[64]", "BatchBenchmark.sluiceBatch[1]", 0.5);
    for (String n : new String[] {"1", "8", "64"}) {
      String a = "BatchLatencyBenchmark.sluiceBatch[" + n + "]";
      String b = "BatchLatencyBenchmark.pollAndSleep[" + n + "]";
      target(md, s, "B6 latency far below poll-and-sleep, " + n + " samples, mean (peer/Sluice ≥ 2)", b, a, 2.0);
      target(md, "B6 latency far below poll-and-sleep, " + n + " samples, p99 (peer/Sluice ≥ 2)", s.percentile(b, 99) / s.percentile(a, 99), 2.0);
    }
    md.append(String.format(Locale.ROOT, "%nB4 allocation: %.3f B per float re-framed (`gc.alloc.rate.norm`).%n",
        s.allocPerOp("ReframerBenchmark.sluiceFloatReframer")));
    md.append("\nB8's memory and p99 intervals come from the same bootstrap over the per-iteration values (each iteration's retained bytes, each iteration's p99).\n");
    allocation(md, s);
    md.append("\n![Sluice / peer ratios](benchmarks.png)\n");
    return md.toString();
  }

  /** B8's peers: the key suffix and the row's label. */
  static final String[][] B8_IMPLS = {
    {"sluice", "Sluice: `AsyncAudioStreamer`, a coroutine per sample"},
    {"channel", "kotlinx `Channel(64)` + a coroutine per stream"},
    {"platformThreads", "`LinkedBlockingQueue(64)` + a platform thread per stream"},
    {"virtualThreads", "`LinkedBlockingQueue(64)` + a virtual thread per stream (JDK 21+)"},
  };

  /** B8's memory and load tables. */
  static void manyStreams(StringBuilder md, Scores s) {
    md.append("### B8: 10,000 streams, retained heap per idle stream\n\n");
    md.append("Each stream's consumer waits for a first chunk; used heap after a full GC, with the streams minus without, over 10,000 ")
        .append("(Sluice: a streamer of batch 1 per stream). A platform thread's stack is native memory and not counted; a parked virtual thread's is on the heap.\n\n");
    md.append("| implementation | bytes per idle stream (mean of iterations) | Sluice/peer |\n|---|---|---|\n");
    double sluiceBytes = s.secondaryMean("IdleStreamsBenchmark.idleStreams[sluice]", "bytesPerStream");
    for (String[] impl : B8_IMPLS) {
      String key = "IdleStreamsBenchmark.idleStreams[" + impl[0] + "]";
      if (!s.has(key)) {
        md.append("| ").append(impl[1]).append(" | not run: ").append(missingJdk21()).append(" | |\n");
        continue;
      }
      double bytes = s.secondaryMean(key, "bytesPerStream");
      md.append(String.format(Locale.ROOT, "| %s | %.0f | %s |%n", impl[1], bytes, impl[0].equals("sluice") ? "" : String.format(Locale.ROOT, "%.2f", sluiceBytes / bytes)));
    }
    md.append("\n### B8: 10,000 streams under load, 2 producer threads, 4 chunks of 480 floats per stream per round\n\n");
    md.append("| implementation | chunks/s | p99 put-to-receive latency, ms (mean of iterations' p99) | Sluice/peer (throughput) |\n|---|---|---|---|\n");
    String sluice = "ManyStreamsBenchmark.round[sluice]";
    for (String[] impl : B8_IMPLS) {
      String key = "ManyStreamsBenchmark.round[" + impl[0] + "]";
      if (!s.has(key)) {
        md.append("| ").append(impl[1]).append(" | not run: ").append(missingJdk21()).append(" | | |\n");
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s |%n", impl[1], s.cell(key), s.secondaryMean(key, "p99Nanos") / 1e6,
          impl[0].equals("sluice") ? "" : String.format(Locale.ROOT, "%.2f", s.score(sluice) / s.score(key))));
    }
    md.append('\n');
  }

  static String missingJdk21() {
    return "no JDK 21+ found (set SLUICE_BENCH_JDK21)";
  }

  /** Allocation per item and per chunk, from {@code gc.alloc.rate.norm}, for B1, B2 and B5. */
  static void allocation(StringBuilder md, Scores s) {
    md.append("\n## Allocation (`gc.alloc.rate.norm`)\n\n");
    md.append("| bench | implementation | B per item | B per chunk |\n|---|---|---|---|\n");
    String[][] rows = {
      {"B1", "64", "Sluice `StreamBuffer`", "ChunkingBenchmark.sluiceStreamBuffer"},
      {"B1", "64", "`Flow.chunked`", "ChunkingBenchmark.kotlinFlowChunked"},
      {"B1", "64", "`Sequence.chunked`", "ChunkingBenchmark.kotlinSequenceChunked"},
      {"B1", "64", "`Flux.buffer`", "ChunkingBenchmark.reactorFluxBuffer"},
      {"B1", "64", "`Flowable.buffer`", "ChunkingBenchmark.rxJavaFlowableBuffer"},
      {"B2", "7", "Sluice `StreamBuffer`", "SlidingWindowBenchmark.sluiceStreamBuffer"},
      {"B2", "7", "`Sequence.windowed`", "SlidingWindowBenchmark.kotlinSequenceWindowed"},
      {"B2", "7", "`Flux.buffer`", "SlidingWindowBenchmark.reactorFluxBuffer"},
      {"B2", "7", "`Flowable.buffer`", "SlidingWindowBenchmark.rxJavaFlowableBuffer"},
      {"B2", "7", "reference design", "SlidingWindowBenchmark.referenceCopyOnPop"},
      {"B5", "1", "Sluice `AsyncAudioStreamer`", "HandoffBenchmark.sluiceAsyncAudioStreamer"},
      {"B5", "1", "Sluice, `BlockingAudioReader` on a thread", "HandoffBenchmark.sluiceBlockingReader"},
      {"B5", "1", "`Channel(64)`", "HandoffBenchmark.kotlinChannel"},
      {"B5", "1", "`LinkedBlockingQueue(64)`", "HandoffBenchmark.linkedBlockingQueue"},
    };
    for (String[] row : rows) {
      double perOp = s.allocPerOp(row[3]);
      int perChunk = Integer.parseInt(row[1]);
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f |%n", row[0], row[2], row[0].equals("B5") ? "(an op is a chunk)" : String.format(Locale.ROOT, "%.2f", perOp),
          perOp * perChunk));
    }
    md.append("\nB1's chunks hold 64 items; B2's windows hold 28 and advance by 7, so a window costs 7 items' allocation; B5's op is one chunk.\n");
  }

  /**
   * How many of the report's figures have a 99.9% interval (JMH's score error) within ±10% of their
   * mean, and which do not, widest first.
   */
  static String precision(Scores s) {
    return precision(relativeErrors(s));
  }

  /**
   * The secondary results that the report shows as figures of their own, and the name each gets:
   * B8's retained heap per idle stream and its p99 latency.
   */
  static final String[][] SECONDARY_FIGURES = {{"bytesPerStream", "bytes per stream"}, {"p99Nanos", "p99"}};

  /**
   * The relative error (the 99.9% interval's half-width over the mean) of every figure the report
   * shows: each benchmark's primary score (JMH's score error), and the secondary results of {@link
   * #SECONDARY_FIGURES}, which the report gives as the mean of their per-iteration values (JMH sums
   * them and gives no error, so the interval here is the same t-interval JMH uses, over those
   * values). A benchmark with a {@code bytesPerStream} result has no primary figure: its score is
   * only the time one heap measurement took.
   */
  static Map<String, Double> relativeErrors(Scores s) {
    Map<String, Double> errors = new LinkedHashMap<>();
    for (Map.Entry<String, RunResult> e : s.byKey.entrySet()) {
      Map<String, Result> secondary = e.getValue().getSecondaryResults();
      if (!secondary.containsKey("bytesPerStream")) {
        Result<?> p = e.getValue().getPrimaryResult();
        errors.put(e.getKey(), p.getScoreError() / p.getScore());
      }
      for (String[] figure : SECONDARY_FIGURES) {
        if (!secondary.containsKey(figure[0])) continue;
        ListStatistics values = s.secondaryStatistics(e.getKey(), figure[0]);
        errors.put(e.getKey() + " " + figure[1], values.getMeanErrorAt(0.999) / values.getMean());
      }
    }
    return errors;
  }

  /** [precision] over each figure's relative error; NaN (a single iteration: no interval) is not counted. */
  static String precision(Map<String, Double> relativeErrors) {
    int all = 0;
    List<Map.Entry<String, Double>> outside = new ArrayList<>();
    for (Map.Entry<String, Double> e : relativeErrors.entrySet()) {
      if (Double.isNaN(e.getValue())) continue;
      all++;
      if (e.getValue() > 0.10) outside.add(e);
    }
    outside.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%d of %d figures have a 99.9%% interval (JMH's score error) within ±10%% of their mean", all - outside.size(), all));
    if (outside.isEmpty()) return out.append(".").toString();
    out.append("; not within: ");
    for (int i = 0; i < outside.size(); i++) {
      if (i > 0) out.append(", ");
      out.append(outside.get(i).getKey()).append(String.format(Locale.ROOT, " ±%.0f%%", outside.get(i).getValue() * 100));
    }
    return out.append(".").toString();
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
    target(md, s, what, a, b, null, goal);
  }

  /** The same on the per-iteration secondary result [metric] (the primary score when null). */
  static void target(StringBuilder md, Scores s, String what, String a, String b, String metric, double goal) {
    double[] interval = s.ratioInterval(a, b, metric);
    double ratio = metric == null ? s.score(a) / s.score(b) : s.secondaryMean(a, metric) / s.secondaryMean(b, metric);
    md.append(String.format(Locale.ROOT, "| %s | %.2f | [%.2f, %.2f] | %s |%n", what, ratio, interval[0], interval[1],
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

package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.IterationResultMetaData;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.ThroughputResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;

/** The report's merging of its rounds of one fork, its JSON and its precision line. */
class ReportTextTest {
  @Test
  void roundsOfOneForkMergeIntoOneResultPerBenchmarkWithTheForksInTheOrderTheyRan() {
    List<RunResult> rounds = Arrays.asList(
        result("dev.sluice.benchmarks.XBenchmark.a", "sluice", 1, 2),
        result("dev.sluice.benchmarks.XBenchmark.a", "channel", 10, 20),
        result("dev.sluice.benchmarks.XBenchmark.b", null, 100),
        result("dev.sluice.benchmarks.XBenchmark.a", "sluice", 3, 4),
        result("dev.sluice.benchmarks.XBenchmark.a", "channel", 30, 40),
        result("dev.sluice.benchmarks.XBenchmark.b", null, 300),
        result("dev.sluice.benchmarks.XBenchmark.a", "sluice", 5, 6));
    List<RunResult> merged = Report.mergeForks(rounds);
    assertEquals(3, merged.size());
    assertEquals("sluice", merged.get(0).getParams().getParam("impl"));
    assertEquals("channel", merged.get(1).getParams().getParam("impl"));
    assertEquals("dev.sluice.benchmarks.XBenchmark.b", merged.get(2).getParams().getBenchmark());
    Report.Scores scores = new Report.Scores(merged);
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}, {5, 6}}, scores.iterations("XBenchmark.a[sluice]"));
    assertArrayEquals(new double[][] {{10, 20}, {30, 40}}, scores.iterations("XBenchmark.a[channel]"));
    assertArrayEquals(new double[][] {{100}, {300}}, scores.iterations("XBenchmark.b"));
    // The score is over every fork's iterations, as in one run with three forks.
    assertEquals(3.5, scores.score("XBenchmark.a[sluice]"), 1e-9);
    assertEquals(200, scores.score("XBenchmark.b"), 1e-9);
  }

  @Test
  void theJsonOfMergedResultsGivesEachItsNumberOfForksAndNoJvmPath(@TempDir Path dir) throws Exception {
    List<RunResult> merged = Report.mergeForks(Arrays.asList(
        result("dev.sluice.benchmarks.YBenchmark.z", null, 7),
        result("dev.sluice.benchmarks.YBenchmark.c", null, 8),
        result("dev.sluice.benchmarks.YBenchmark.z", null, 9)));
    Path json = dir.resolve("benchmarks.json");
    Report.writeJson(merged, json);
    String text = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
    Matcher forks = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]+)\"[^{]*?\"forks\"\\s*:\\s*(\\d+)").matcher(text);
    List<String> seen = new ArrayList<>();
    while (forks.find()) seen.add(forks.group(1) + "=" + forks.group(2));
    assertEquals(Arrays.asList("dev.sluice.benchmarks.YBenchmark.z=2", "dev.sluice.benchmarks.YBenchmark.c=1"), seen);
    assertTrue(text.contains("\"jvm\" : \"java\""), text);
    assertFalse(text.contains("/bin/java"), text);
  }

  @Test
  void withForksRefusesJsonThatDoesNotMatchTheResults() {
    List<RunResult> one = Report.mergeForks(Arrays.asList(result("dev.sluice.benchmarks.YBenchmark.z", null, 7)));
    assertThrows(IllegalArgumentException.class, () -> Report.withForks("[]", one));
    assertThrows(IllegalArgumentException.class, () -> Report.withForks("[{\"forks\" : 1}, {\"forks\" : 1}]", one));
    assertEquals("[{\"forks\" : 1}]", Report.withForks("[{\"forks\":1}]", one));
  }

  @Test
  void thePrecisionLineJudgesTheFiguresTheReportShowsNotTheTimeOfAHeapMeasurement() {
    RunResult idle = result("dev.sluice.benchmarks.IdleStreamsBenchmark.idleStreams", "sluice", new double[] {100, 300, 500},
        "bytesPerStream", new double[] {800, 801, 802});
    RunResult load = result("dev.sluice.benchmarks.ManyStreamsBenchmark.round", "sluice", new double[] {1000, 1001, 1002},
        "p99Nanos", new double[] {5, 15, 25});
    Map<String, Double> errors = Report.relativeErrors(new Report.Scores(Arrays.asList(idle, load)));
    assertEquals(Arrays.asList("IdleStreamsBenchmark.idleStreams[sluice] bytes per stream", "ManyStreamsBenchmark.round[sluice]",
        "ManyStreamsBenchmark.round[sluice] p99"), new ArrayList<>(errors.keySet()));
    // Three iterations: the half-width is t(0.9995, 2) * sd / sqrt(3), with t = 31.599, over the mean.
    assertEquals(31.599 * 1 / Math.sqrt(3) / 801, errors.get("IdleStreamsBenchmark.idleStreams[sluice] bytes per stream"), 1e-4);
    assertEquals(31.599 * 10 / Math.sqrt(3) / 15, errors.get("ManyStreamsBenchmark.round[sluice] p99"), 1e-3);
    assertEquals(31.599 * 1 / Math.sqrt(3) / 1001, errors.get("ManyStreamsBenchmark.round[sluice]"), 1e-4);
  }

  /** One fork of {@code benchmark} (with {@code impl}, if not null) whose iterations scored {@code scores} ops/s. */
  private static RunResult result(String benchmark, String impl, double... scores) {
    return result(benchmark, impl, scores, null, new double[0]);
  }

  /** The same, with a secondary result {@code metric} of {@code values}, one per iteration (none when null). */
  private static RunResult result(String benchmark, String impl, double[] scores, String metric, double[] values) {
    WorkloadParams workload = new WorkloadParams();
    if (impl != null) workload.put("impl", impl, 0);
    IterationParams warmup = new IterationParams(IterationType.WARMUP, 0, TimeValue.seconds(1), 1);
    IterationParams measurement = new IterationParams(IterationType.MEASUREMENT, scores.length, TimeValue.seconds(1), 1);
    BenchmarkParams params = new BenchmarkParams(benchmark, benchmark + "_jmhTest", false, 1, new int[] {1},
        Collections.emptyList(), 1, 0, warmup, measurement, Mode.Throughput, workload, TimeUnit.SECONDS, 1,
        "/opt/some-jdk/bin/java", Collections.emptyList(), "17", "vm", "17", "1.37", TimeValue.minutes(10));
    List<IterationResult> iterations = new ArrayList<>();
    for (double score : scores) {
      IterationResult it = new IterationResult(params, measurement, new IterationResultMetaData(1, 1));
      it.addResult(new ThroughputResult(ResultRole.PRIMARY, "ops", score, 1_000_000_000L, TimeUnit.SECONDS));
      if (metric != null) it.addResult(new ScalarResult(metric, values[iterations.size()], "#", AggregationPolicy.AVG));
      iterations.add(it);
    }
    return new RunResult(params, Collections.singletonList(new BenchmarkResult(params, iterations)));
  }

  @Test
  void thePrecisionLineCountsAndNamesTheFiguresOutsideTenPercentWidestFirst() {
    Map<String, Double> errors = new LinkedHashMap<>();
    errors.put("A", 0.05);
    errors.put("B", 0.12);
    errors.put("C", Double.NaN);
    errors.put("D", 0.10);
    errors.put("E", 0.40);
    assertEquals("2 of 4 figures have a 99.9% interval (JMH's score error) within ±10% of their mean; not within: E ±40%, B ±12%.",
        Report.precision(errors));
    errors.remove("B");
    errors.remove("E");
    assertEquals("2 of 2 figures have a 99.9% interval (JMH's score error) within ±10% of their mean.", Report.precision(errors));
  }
}

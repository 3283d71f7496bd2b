package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's merging of JMH JSON files and its precision line. */
class ReportTextTest {
  @Test
  void twoJsonArraysBecomeOne() {
    assertEquals("[\n{\"a\": 1}, {\"b\": 2},\n{\"c\": 3}\n]\n", Report.concatJsonArrays("[{\"a\": 1}, {\"b\": 2}]", " [ {\"c\": 3} ]\n"));
    assertEquals("[\n{\"c\": 3}\n]\n", Report.concatJsonArrays("[ ]", "[{\"c\": 3}]"));
    assertEquals("[\n{\"a\": 1}\n]\n", Report.concatJsonArrays("[{\"a\": 1}]", "[]"));
    assertThrows(IllegalArgumentException.class, () -> Report.concatJsonArrays("{\"a\": 1}", "[]"));
  }

  @Test
  void appendJsonMergesTheSecondFileIntoTheFirstAndDeletesIt(@TempDir Path dir) throws Exception {
    Path into = dir.resolve("benchmarks.json");
    Path more = dir.resolve("benchmarks-load.json");
    Files.write(into, "[{\"a\": 1}]".getBytes(StandardCharsets.UTF_8));
    Files.write(more, "[{\"b\": 2}]".getBytes(StandardCharsets.UTF_8));
    Report.appendJson(into, more);
    assertEquals("[\n{\"a\": 1},\n{\"b\": 2}\n]\n", new String(Files.readAllBytes(into), StandardCharsets.UTF_8));
    assertEquals(false, Files.exists(more));
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

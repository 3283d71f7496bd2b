package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The report's bootstrap interval of a ratio. */
class IntervalTest {
  private static double[][] forks(double mean, double noise, int forks, int iterations, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[forks][iterations];
    for (double[] f : out) for (int i = 0; i < iterations; i++) f[i] = mean * (1 + noise * (2 * r.nextDouble() - 1));
    return out;
  }

  @Test
  void theIntervalHoldsTheTrueRatioAndNarrowsWithMoreIterations() {
    double[] few = Report.Interval.ratio(forks(2.0, 0.2, 1, 3, 1), forks(1.0, 0.2, 1, 3, 2), 10_000, 42);
    double[] many = Report.Interval.ratio(forks(2.0, 0.2, 3, 50, 3), forks(1.0, 0.2, 3, 50, 4), 10_000, 42);
    assertTrue(few[0] < 2.0 && 2.0 < few[1], () -> "few: [" + few[0] + ", " + few[1] + "]");
    assertTrue(many[0] < 2.0 && 2.0 < many[1], () -> "many: [" + many[0] + ", " + many[1] + "]");
    assertTrue(many[1] - many[0] < few[1] - few[0], "more iterations give a narrower interval");
  }

  @Test
  void noNoiseGivesAPointAndTheSameSeedTheSameInterval() {
    double[][] a = {{4, 4, 4}, {4, 4, 4}};
    double[][] b = {{2, 2, 2}, {2, 2, 2}};
    double[] i = Report.Interval.ratio(a, b, 1_000, 7);
    assertEquals(2.0, i[0], 1e-12);
    assertEquals(2.0, i[1], 1e-12);
    double[][] x = forks(3, 0.3, 3, 5, 9);
    double[][] y = forks(1, 0.3, 3, 5, 10);
    assertEquals(Report.Interval.ratio(x, y, 2_000, 5)[0], Report.Interval.ratio(x, y, 2_000, 5)[0]);
  }
}

package dev.sluice.pit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pitest.coverage.CoverageResult;
import org.pitest.coverage.TestStatListener;
import org.pitest.coverage.TestStatListenerFactory;
import org.pitest.plugin.Feature;
import org.pitest.util.ResultOutputStrategy;

/**
 * A PIT plugin that records the time PIT measured for each test in its coverage run, and writes
 * them to {@code test-times.csv} in the report directory, slowest first, with the JUnit Platform
 * engine that ran each test (kotest or junit-jupiter). It shows which tests PIT drove, and how long
 * each one took under PIT's instrumentation.
 */
public final class TestTimesFactory implements TestStatListenerFactory {
    @Override
    public TestStatListener createTestListener(ResultOutputStrategy output) {
        return new Listener(output);
    }

    @Override
    public String description() {
        return "Per-test times of the coverage run, to test-times.csv";
    }

    @Override
    public Feature provides() {
        return Feature.named("SLUICE_TEST_TIMES").withOnByDefault(true).withDescription(description());
    }

    private static final class Listener implements TestStatListener {
        private final ResultOutputStrategy output;
        private final List<String[]> rows = new ArrayList<>();
        private final Map<String, long[]> perEngine = new TreeMap<>();

        Listener(ResultOutputStrategy output) {
            this.output = output;
        }

        @Override
        public synchronized void accept(CoverageResult result) {
            String id = result.getTestUnitDescription().getName();
            String engine = engineOf(id);
            long[] counts = perEngine.computeIfAbsent(engine, e -> new long[2]);
            counts[0]++;
            counts[1] += result.getExecutionTime();
            rows.add(new String[] {
                String.valueOf(result.getExecutionTime()),
                engine,
                result.getTestUnitDescription().getFirstTestClass(),
                id,
                String.valueOf(result.isGreenTest()),
            });
        }

        @Override
        public synchronized List<String> messages() {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, long[]> e : perEngine.entrySet()) {
                lines.add(String.format(Locale.ROOT, "%s: %d tests, %d ms in all (test-times.csv lists each)",
                        e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            return lines;
        }

        @Override
        public synchronized void end() {
            rows.sort((a, b) -> Long.compare(Long.parseLong(b[0]), Long.parseLong(a[0])));
            try (Writer w = output.createWriterForFile("test-times.csv")) {
                w.write("millis,engine,class,test,green\n");
                for (String[] row : rows) {
                    w.write(row[0] + "," + row[1] + "," + row[2] + "," + csv(row[3]) + "," + row[4] + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String engineOf(String uniqueId) {
            int start = uniqueId.indexOf("[engine:");
            if (start < 0) {
                return "other";
            }
            int end = uniqueId.indexOf(']', start);
            return end < 0 ? "other" : uniqueId.substring(start + "[engine:".length(), end);
        }

        private static String csv(String s) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
    }
}

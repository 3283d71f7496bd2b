import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks a module's PIT result against its floor and its verdicts.
 *
 * <pre>java build-tools/MutationFloor.java MODULE MUTATIONS_XML VERDICTS_MD FLOOR_PERCENT [require|report]</pre>
 *
 * <p>Every mutant PIT reports as SURVIVED or NO_COVERAGE must have a row in the verdicts file,
 * in the section {@code ## MODULE}: {@code | File.kt:line | method | PIT's description | verdict |},
 * where the verdict starts with {@code equivalent:} (the mutant cannot change what any caller
 * sees; say why) or {@code missing test:} (a test should kill it). One row covers every mutant
 * with the same file, line, method and description.
 *
 * <p>The score is detected / (all - equivalent), where detected is KILLED, TIMED_OUT, MEMORY_ERROR
 * or RUN_ERROR. The run fails when a surviving mutant has no verdict, or when the score is below
 * the floor. Verdict rows that match no surviving mutant are listed, so the file can be pruned.
 * With {@code report} (for a module whose survivors are not all examined yet), mutants without a
 * verdict are listed and counted as not detected, and only the floor fails the run.
 */
public final class MutationFloor {
    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*([^|:]+):(\\d+)\\s*\\|\\s*`?([^|`]+?)`?\\s*\\|\\s*([^|]+?)\\s*\\|\\s*(.+?)\\s*\\|\\s*$");

    private MutationFloor() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: MutationFloor MODULE MUTATIONS_XML VERDICTS_MD FLOOR_PERCENT [require|report]");
            System.exit(2);
        }
        boolean requireVerdicts = args.length == 4 || args[4].equals("require");
        if (args.length == 5 && !args[4].equals("require") && !args[4].equals("report")) {
            fail("the fifth argument is require or report, was " + args[4]);
        }
        String module = args[0];
        Path xml = Path.of(args[1]);
        Path verdictsFile = Path.of(args[2]);
        double floor = Double.parseDouble(args[3]);

        Map<String, String> verdicts = readVerdicts(verdictsFile, module);
        Map<String, Integer> used = new LinkedHashMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> unexamined = new ArrayList<>();
        int all = 0;
        int detected = 0;
        int equivalent = 0;
        int missingTest = 0;

        NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("mutation");
        for (int i = 0; i < mutations.getLength(); i++) {
            Element m = (Element) mutations.item(i);
            String status = m.getAttribute("status");
            statuses.merge(status, 1, Integer::sum);
            all++;
            switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> detected++;
                case "SURVIVED", "NO_COVERAGE" -> {
                    String key = key(text(m, "sourceFile"), text(m, "lineNumber"), text(m, "mutatedMethod"), text(m, "description"));
                    String verdict = verdicts.get(key);
                    if (verdict == null) {
                        unexamined.add(status + " " + key);
                    } else {
                        used.merge(key, 1, Integer::sum);
                        if (verdict.toLowerCase(Locale.ROOT).startsWith("equivalent")) {
                            equivalent++;
                        } else {
                            missingTest++;
                        }
                    }
                }
                default -> throw new IllegalStateException("unknown PIT status " + status + " in " + xml);
            }
        }
        if (all == 0) {
            fail(module + ": " + xml + " has no mutations");
        }
        double score = 100.0 * detected / (all - equivalent);
        System.out.printf(Locale.ROOT,
                "%s: %d mutants %s; %d equivalent (examined), %d survive for want of a test, %d not examined;"
                        + " score %d/%d = %.1f%% (floor %.0f%%)%n",
                module, all, statuses, equivalent, missingTest, unexamined.size(), detected, all - equivalent, score, floor);
        for (String key : verdicts.keySet()) {
            if (!used.containsKey(key)) {
                System.out.println(module + ": verdict row matches no surviving mutant (now killed, or the code moved): " + key);
            }
        }
        if (!unexamined.isEmpty() && !requireVerdicts) {
            System.out.println(module + ": " + unexamined.size() + " surviving mutant(s) not examined yet (no verdict):");
            for (String u : unexamined) {
                System.out.println("  " + u);
            }
        } else if (!unexamined.isEmpty()) {
            StringBuilder b = new StringBuilder(module + ": " + unexamined.size()
                    + " surviving mutant(s) have no verdict in " + verdictsFile + " (section ## " + module + "):");
            for (String u : unexamined) {
                b.append("\n  ").append(u);
            }
            fail(b.toString());
        }
        if (score + 1e-9 < floor) {
            fail(String.format(Locale.ROOT, "%s: mutation score %.1f%% is below the floor of %.0f%%", module, score, floor));
        }
    }

    private static Map<String, String> readVerdicts(Path file, String module) throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("## ")) {
                inSection = line.substring(3).trim().equals(module);
                continue;
            }
            if (!inSection) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String verdict = row.group(5);
                String lower = verdict.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("equivalent") && !lower.startsWith("missing test")) {
                    fail(file + ": a verdict starts with 'equivalent:' or 'missing test:': " + line);
                }
                verdicts.put(key(row.group(1).trim(), row.group(2), row.group(3).trim(), row.group(4).trim()), verdict);
            }
        }
        return verdicts;
    }

    private static String key(String file, String line, String method, String description) {
        return file + ":" + line + " " + method + " | " + description;
    }

    private static String text(Element m, String tag) {
        return m.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}

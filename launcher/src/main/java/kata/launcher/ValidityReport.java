package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The kata's proof of validity, read from the Surefire reports of two runs: every chapter's tests run
 * against the untouched stub (each must fail, with a learner's message, not a crash or a time-out) and
 * against the reference solution (each must pass). Prints one table and exits 1 when anything is off.
 *
 * <p>Run by {@code ./kata verify} after both Maven runs; {@code java -cp launcher/target/classes
 * kata.launcher.ValidityReport <repo root>}.
 */
public final class ValidityReport {
    /** Every stub failure must point the learner to the lesson; {@link LessonPointer} adds this. */
    static final String LESSON_POINTER = "README.md §";
    static final String LESSON_POINTER_ZH = "README.zh.md §";

    record Outcome(String test, String kind, String type, String message, double seconds) {
        boolean passed() {
            return kind.equals("passed");
        }
    }

    record Row(String chapter, int tests, int failOnStub, int passOnSolution, double stubSeconds,
            double solutionSeconds, int mistakes, int mistakesRejected, List<String> problems) {
    }

    /** A chapter's catalog must hold at least this many mistakes ({@code solutions/NN-name/mistakes.md}). */
    static final int MIN_MISTAKES = 10;

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        System.exit(report(root, System.out) ? 0 : 1);
    }

    /** Prints the table for the reports under {@code root}; whether the kata is valid. */
    static boolean report(Path root, java.io.PrintStream out) {
        List<Row> rows = new ArrayList<>();
        for (Path chapter : chapters(root)) {
            rows.add(chapterRow(chapter));
        }
        rows.add(supportRow("harness", root.resolve("harness/target/surefire-reports")));
        rows.add(supportRow("launcher", root.resolve("launcher/target/surefire-reports")));
        rows.add(supportRow("chat-common", root.resolve("chapters/common/target/surefire-reports")));
        List<String> kataProblems = Translations.rootProblems(root);
        out.print(render(rows, kataProblems));
        return kataProblems.isEmpty() && rows.stream().allMatch(r -> r.problems().isEmpty());
    }

    static List<Path> chapters(Path root) {
        try (Stream<Path> children = Files.list(root.resolve("chapters"))) {
            return children.filter(p -> p.getFileName().toString().matches("\\d\\d-.+"))
                    .filter(p -> Files.exists(p.resolve("pom.xml")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Row chapterRow(Path chapter) {
        String name = chapter.getFileName().toString();
        Map<String, Outcome> stub = outcomes(chapter.resolve("target/surefire-reports"));
        Map<String, Outcome> solution = outcomes(chapter.resolve("target/solution/surefire-reports"));
        List<String> problems = new ArrayList<>();
        if (solution.isEmpty()) {
            problems.add("no test ran against the solution");
        }
        if (!stub.keySet().equals(solution.keySet())) {
            problems.add("the stub run and the solution run ran different tests: stub " + stub.size()
                    + ", solution " + solution.size());
        }
        int failOnStub = 0;
        for (Outcome outcome : stub.values()) {
            if (outcome.passed()) {
                problems.add("passes on the untouched stub (a test must not pass for free): " + outcome.test());
            } else if (outcome.kind().equals("skipped")) {
                problems.add("skipped on the stub: " + outcome.test());
            } else if (!outcome.kind().equals("failure")) {
                problems.add("crashes on the stub instead of failing with a learner's message ("
                        + outcome.type() + "): " + outcome.test());
            } else if (!outcome.message().contains(LESSON_POINTER) && !outcome.message().contains(LESSON_POINTER_ZH)) {
                problems.add("fails on the stub without pointing to the lesson (add @Lesson): " + outcome.test());
            } else {
                failOnStub++;
            }
        }
        int passOnSolution = 0;
        for (Outcome outcome : solution.values()) {
            if (outcome.passed()) {
                passOnSolution++;
            } else {
                problems.add("does not pass on the solution (" + outcome.kind() + "): " + outcome.test()
                        + " — " + firstLine(outcome.message()));
            }
        }
        Path root = chapter.getParent().getParent();
        Map<String, String[]> verdicts = mistakeVerdicts(root.resolve("target/kata/mistakes.tsv"), name);
        int catalog = Mistake.catalog(root.resolve("solutions").resolve(name).resolve("mistakes.md")).size();
        if (catalog < MIN_MISTAKES) {
            problems.add("its catalog of mistakes (solutions/" + name + "/mistakes.md) has " + catalog
                    + ", at least " + MIN_MISTAKES + " are needed");
        }
        if (verdicts.size() != catalog) {
            problems.add("the catalog of mistakes was not checked (./kata mistakes --check " + name + ")");
        }
        int rejected = 0;
        for (String[] verdict : verdicts.values()) {
            if (verdict[2].equals("REJECTED")) {
                rejected++;
            } else {
                problems.add("the mistake '" + verdict[1] + "' is not rejected: " + verdict[2].toLowerCase(Locale.ROOT)
                        .replace('_', ' ') + (verdict.length > 3 ? " — " + verdict[3] : ""));
            }
        }
        problems.addAll(Translations.problems(chapter));
        return new Row(name, solution.size(), failOnStub, passOnSolution, seconds(stub), seconds(solution),
                catalog, rejected, problems);
    }

    static Row supportRow(String name, Path reports) {
        Map<String, Outcome> outcomes = outcomes(reports);
        List<String> problems = new ArrayList<>();
        if (outcomes.isEmpty()) {
            problems.add("its own tests did not run");
        }
        int passed = 0;
        for (Outcome outcome : outcomes.values()) {
            if (outcome.passed()) {
                passed++;
            } else {
                problems.add("does not pass (" + outcome.kind() + "): " + outcome.test() + " — " + firstLine(outcome.message()));
            }
        }
        return new Row(name, outcomes.size(), -1, passed, 0, seconds(outcomes), -1, -1, problems);
    }

    /** Mistake id to its verdict line ({@code chapter, id, KIND, detail, millis}) from {@code ./kata mistakes --check}. */
    static Map<String, String[]> mistakeVerdicts(Path tsv, String chapter) {
        Map<String, String[]> verdicts = new LinkedHashMap<>();
        if (!Files.isRegularFile(tsv)) {
            return verdicts;
        }
        try {
            for (String line : Files.readAllLines(tsv)) {
                String[] fields = line.split("\t", 5);
                if (fields.length >= 3 && fields[0].equals(chapter)) {
                    verdicts.put(fields[1], fields);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return verdicts;
    }

    /** Test name ("Class.method") to outcome, from every TEST-*.xml in a Surefire report folder. */
    static Map<String, Outcome> outcomes(Path reports) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        if (!Files.isDirectory(reports)) {
            return outcomes;
        }
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
                NodeList cases = xml.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Outcome outcome = outcome((Element) cases.item(i));
                    outcomes.put(outcome.test(), outcome);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test reports in " + reports, e);
        }
        return outcomes;
    }

    private static Outcome outcome(Element testcase) {
        String className = testcase.getAttribute("classname");
        String test = className.substring(className.lastIndexOf('.') + 1) + "." + testcase.getAttribute("name");
        double seconds = parseSeconds(testcase.getAttribute("time"));
        for (String kind : List.of("failure", "error", "skipped")) {
            Node node = testcase.getElementsByTagName(kind).item(0);
            if (node instanceof Element element) {
                return new Outcome(test, kind, element.getAttribute("type"), element.getAttribute("message"), seconds);
            }
        }
        return new Outcome(test, "passed", "", "", seconds);
    }

    private static double parseSeconds(String time) {
        try {
            return Double.parseDouble(time.replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double seconds(Map<String, Outcome> outcomes) {
        return outcomes.values().stream().mapToDouble(Outcome::seconds).sum();
    }

    static String render(List<Row> rows) {
        return render(rows, List.of());
    }

    static String render(List<Row> rows, List<String> kataProblems) {
        StringBuilder out = new StringBuilder();
        out.append("\nKata validity: every test fails on the untouched stub and passes on the reference solution\n\n");
        out.append(String.format(Locale.ROOT, "%-14s %6s %14s %18s %18s %10s %14s%n",
                "chapter", "tests", "fail on stub", "pass on solution", "mistakes rejected", "stub run", "solution run"));
        for (Row row : rows) {
            String stubColumn = row.failOnStub() < 0 ? "-" : row.failOnStub() + "/" + row.tests();
            String stubTime = row.failOnStub() < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", row.stubSeconds());
            String mistakes = row.mistakes() < 0 ? "-" : row.mistakesRejected() + "/" + row.mistakes();
            out.append(String.format(Locale.ROOT, "%-14s %6d %14s %18s %18s %10s %14s%n",
                    row.chapter(), row.tests(), stubColumn, row.passOnSolution() + "/" + row.tests(), mistakes, stubTime,
                    String.format(Locale.ROOT, "%.1f s", row.solutionSeconds())));
        }
        List<String> problems = new ArrayList<>(kataProblems);
        rows.forEach(r -> r.problems().forEach(p -> problems.add(r.chapter() + ": " + p)));
        out.append('\n');
        if (problems.isEmpty()) {
            out.append("VALID: every chapter's stub fails every test with a learner's message, every reference "
                    + "solution passes, and every mistake in the catalogs is rejected with a pointer to the section it breaks.\n");
        } else {
            out.append("NOT VALID (").append(problems.size()).append(" problem").append(problems.size() == 1 ? "" : "s")
                    .append("):\n");
            problems.forEach(p -> out.append("  - ").append(p).append('\n'));
        }
        // One line any CI reads: each check is one test that behaved as the kata needs (failed on its
        // stub with a learner's message, passed on its solution), or one problem.
        int checks = rows.stream().mapToInt(r -> Math.max(r.failOnStub(), 0) + r.passOnSolution()
                + Math.max(r.mistakesRejected(), 0)).sum();
        out.append("\nvalidity: ").append(checks).append(" passed, ").append(problems.size()).append(" failed\n");
        return out.toString();
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}

package kata.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./kata verify}: proves the kata valid. Maven runs every chapter's tests against its reference solution
 * (and the kata's own tests), then against its untouched stub; meanwhile every chapter's catalog of mistakes is
 * applied to copies of its solution in this JVM; then the validity report reads it all. Each step shows its
 * progress as it goes; the full logs are in {@code target/kata/}.
 */
final class Verify {
    /** Surefire's line for a finished test class. */
    private static final Pattern CLASS_DONE = Pattern.compile(
            "Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+), Time elapsed: ([\\d.,]+) s.* -- in (\\S+)");

    private final Kata kata;
    private final Terminal terminal;
    private final Path root;
    private final List<String> mvn;

    Verify(Kata kata, Terminal terminal, Path root, List<String> mvn) {
        this.kata = kata;
        this.terminal = terminal;
        this.root = root;
        this.mvn = mvn;
    }

    int run() {
        long started = System.nanoTime();
        Path logs = root.resolve("target/kata");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Old reports would count tests that no longer exist: start from none.
        for (String reports : List.of("harness/target/surefire-reports", "launcher/target/surefire-reports",
                "chapters/common/target/surefire-reports")) {
            ChapterBuild.clean(root.resolve(reports));
        }
        for (Path chapter : ValidityReport.chapters(root)) {
            ChapterBuild.clean(chapter.resolve("target/surefire-reports"));
            ChapterBuild.clean(chapter.resolve("target/solution/surefire-reports"));
        }

        // Maven runs the tests against the solutions, then against the stubs, in JVMs of its own; meanwhile this
        // JVM proves the catalogs of mistakes. Most of a mistake's time is a test waiting, not the CPU (the whole
        // of verify keeps two cores about 60% busy when the steps run one after the other): side by side, the
        // steps take little more than Maven's two runs.
        terminal.println("== 1/4  every chapter's tests against its reference solution (and the kata's own tests), in Maven");
        terminal.println("== 2/4  then every chapter's tests against its untouched stub (each must fail, quickly), in Maven");
        terminal.println("== 3/4  beside them, every chapter's catalog of mistakes, each applied to a copy of its solution"
                + " (each must be rejected), in this JVM");
        long step = System.nanoTime();
        AtomicInteger solutionBuild = new AtomicInteger(-1);
        AtomicInteger stubBuild = new AtomicInteger(-1);
        AtomicLong solutionNanos = new AtomicLong();
        AtomicLong stubNanos = new AtomicLong();
        Thread maven = new Thread(() -> {
            long began = System.nanoTime();
            solutionBuild.set(maven(logs.resolve("solutions.log"), "", "test", "-Psolutions", "-Dkata.harnessTests.skip=false"));
            solutionNanos.set(System.nanoTime() - began);
            if (solutionBuild.get() == 0) {
                began = System.nanoTime();
                stubBuild.set(maven(logs.resolve("stubs.log"), "stub  ", "test"));
                stubNanos.set(System.nanoTime() - began);
            }
        }, "kata-verify-maven");
        maven.start();
        kata.checkMistakes(List.of(), true);
        long mistakesNanos = System.nanoTime() - step;
        try {
            maven.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (solutionBuild.get() != 0) {
            terminal.print(read(logs.resolve("solutions.log")));
            terminal.println("The build against the solutions failed (see above).");
            return 1;
        }
        if (stubBuild.get() != 0) {
            terminal.print(read(logs.resolve("stubs.log")));
            terminal.println("The build against the stubs failed: a stub must compile and start.");
            return 1;
        }
        terminal.println(String.format(Locale.ROOT, "   done in %s: the solutions' run %.0f s, then the stubs' run %.0f s;"
                + " beside them, the mistakes %.0f s. Full logs: target/kata/solutions.log, and the learner's view of every"
                + " failure: target/kata/stubs.log", seconds(step), solutionNanos.get() / 1e9, stubNanos.get() / 1e9,
                mistakesNanos / 1e9));

        terminal.println("== 4/4  the validity report");
        java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
        boolean valid = ValidityReport.report(root, new java.io.PrintStream(table, true, StandardCharsets.UTF_8));
        terminal.print(table.toString(StandardCharsets.UTF_8));
        terminal.println("./kata verify took " + seconds(started));
        return valid ? 0 : 1;
    }

    /**
     * Runs Maven with {@code goals}, its output into {@code log}, and a line of progress (after {@code prefix}) for each test class it
     * finishes. Test failures do not fail the build here: the report judges them.
     */
    private int maven(Path log, String prefix, String... goals) {
        List<String> command = new ArrayList<>(mvn);
        command.addAll(List.of("-B", "-ntp"));
        command.addAll(List.of(goals));
        command.add("-Dmaven.test.failure.ignore=true");
        try {
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    file.println(line);
                    Matcher done = CLASS_DONE.matcher(line);
                    if (done.find()) {
                        int failed = Integer.parseInt(done.group(2)) + Integer.parseInt(done.group(3));
                        String name = done.group(6);
                        terminal.println(String.format(Locale.ROOT, "   %s%-52s %3s tests, %2d red  %6s s",
                                prefix, name.substring(name.indexOf('.') + 1), done.group(1), failed, done.group(5)));
                    }
                }
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new UsageError("Could not run Maven (" + String.join(" ", mvn) + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

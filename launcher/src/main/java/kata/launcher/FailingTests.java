package kata.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints the tests that did not pass in the last run against the solutions (and the harness's and
 * chat-common's own tests), one per line, then a line {@code total N}. {@code scripts/repeat} tallies
 * these over many runs to find flaky tests; with {@code --stubs}, it checks a run against the stubs instead.
 */
public final class FailingTests {
    private FailingTests() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (List.of(args).contains("--stubs")) {
            System.exit(stubs(root) ? 0 : 1);
        }
        List<Path> folders = new ArrayList<>();
        for (Path chapter : ValidityReport.chapters(root)) {
            folders.add(chapter.resolve("target/solution/surefire-reports"));
        }
        folders.add(root.resolve("harness/target/surefire-reports"));
        folders.add(root.resolve("launcher/target/surefire-reports"));
        folders.add(root.resolve("chapters/common/target/surefire-reports"));
        int total = 0;
        for (Path folder : folders) {
            Map<String, ValidityReport.Outcome> outcomes = ValidityReport.outcomes(folder);
            total += outcomes.size();
            String where = root.relativize(folder).getName(folder.startsWith(root.resolve("chapters")) ? 1 : 0).toString();
            outcomes.values().stream().filter(o -> !o.passed())
                    .forEach(o -> System.out.println(where + " " + o.test()));
        }
        System.out.println("total " + total);
    }

    /**
     * After a run against the untouched stubs: each test that did not fail with a learner's message (a pass, a
     * crash, a time-out, a failure without the lesson pointer), then {@code all red: N tests} when there is none.
     */
    static boolean stubs(Path root) {
        int total = 0;
        int wrong = 0;
        for (Path chapter : ValidityReport.chapters(root)) {
            Map<String, ValidityReport.Outcome> outcomes = ValidityReport.outcomes(chapter.resolve("target/surefire-reports"));
            total += outcomes.size();
            for (ValidityReport.Outcome o : outcomes.values()) {
                boolean red = o.kind().equals("failure") && (o.message().contains(ValidityReport.LESSON_POINTER)
                        || o.message().contains(ValidityReport.LESSON_POINTER_ZH));
                if (!red) {
                    wrong++;
                    System.out.println(chapter.getFileName() + " " + o.test() + ": " + o.kind() + " instead of a learner's failure");
                }
            }
        }
        if (wrong == 0 && total > 0) {
            System.out.println("all red: " + total + " tests, each failing with its lesson pointer");
        }
        return wrong == 0 && total > 0;
    }
}

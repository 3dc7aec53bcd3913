package kata.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints the tests that did not pass in the last run against the solutions (and the harness's and
 * chat-common's own tests), one per line, then a line {@code total N}. {@code scripts/repeat} tallies
 * these over many runs to find flaky tests.
 */
public final class FailingTests {
    private FailingTests() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
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
}

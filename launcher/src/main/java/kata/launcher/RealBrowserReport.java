package kata.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * The real-browser run's summary: each story that ran in Chromium, passed or not, and the stories
 * skipped because Chromium is not installed — said out loud, never a silent pass. Exits 1 when a story
 * failed or none ran at all.
 */
public final class RealBrowserReport {
    private RealBrowserReport() {
    }

    public static void main(String[] args) {
        Map<String, ValidityReport.Outcome> outcomes = ValidityReport.outcomes(Path.of(args[0]));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (ValidityReport.Outcome outcome : outcomes.values()) {
            String verdict = switch (outcome.kind()) {
                case "passed" -> "passed";
                case "skipped" -> "SKIPPED";
                default -> "FAILED";
            };
            System.out.printf("  %-8s %s%n", verdict, outcome.test());
            if (outcome.passed()) {
                passed++;
            } else if (outcome.kind().equals("skipped")) {
                skipped++;
            } else {
                failed++;
                System.out.println("           " + outcome.message().strip().lines().findFirst().orElse(""));
            }
        }
        if (skipped > 0) {
            System.out.println("Chromium is not installed here: " + skipped + " real-browser stories were SKIPPED"
                    + " (apt-get install chromium chromium-driver).");
        }
        System.out.println("chromium: " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
        System.exit(failed > 0 || outcomes.isEmpty() ? 1 : 0);
    }
}

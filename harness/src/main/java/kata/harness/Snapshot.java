package kata.harness;

import org.approvaltests.Approvals;
import org.approvaltests.core.Options;
import org.approvaltests.core.Scrubber;
import org.approvaltests.reporters.QuietReporter;
import org.approvaltests.scrubbers.RegExScrubber;
import org.approvaltests.scrubbers.Scrubbers;

/**
 * ApprovalTests with the kata's settings: ports, dates and random ids scrubbed so a snapshot changes
 * only when behaviour does, and no diff tool launched (the failure message says which files differ).
 * The approved file lives beside the test: {@code TestClass.testName.approved.txt}.
 */
public final class Snapshot {
    private static final Scrubber SCRUBBER = Scrubbers.scrubAll(
            text -> text.replaceAll("(localhost|127\\.0\\.0\\.1):\\d{2,5}", "$1:PORT"),
            new RegExScrubber("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT", "[http date]"),
            new RegExScrubber("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?", "[iso time]"),
            new RegExScrubber("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[uuid]"));

    private Snapshot() {
    }

    public static void verify(String text) {
        try {
            Approvals.verify(text, options());
        } catch (AssertionError e) {
            throw e;
        } catch (Error | RuntimeException e) {
            // ApprovalTests throws its own kind of error; the learner gets a plain assertion failure that
            // says what to compare.
            throw new AssertionError("The answer on the wire differs from the approved snapshot. Compare the "
                    + ".received.txt file with the .approved.txt file beside the test: " + e.getMessage(), e);
        }
    }

    public static Options options() {
        return new Options().withReporter(new QuietReporter()).withScrubber(SCRUBBER);
    }

    /** What a snapshot sees of {@code text}. */
    public static String scrub(String text) {
        return SCRUBBER.scrub(text);
    }
}

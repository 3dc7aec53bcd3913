package kata.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.approvaltests.Approvals;
import org.approvaltests.core.Scrubber;
import org.approvaltests.namer.ApprovalNamer;
import org.approvaltests.scrubbers.RegExScrubber;
import org.approvaltests.scrubbers.Scrubbers;

/**
 * A snapshot of what a test saw (a wire transcript, a screen of text), compared with the approved one beside
 * the test: {@code TestClass.testName.approved.txt}, found the way ApprovalTests finds it. Ports, dates and
 * random ids are scrubbed so a snapshot changes only when behaviour does.
 *
 * <p>The approved file is the specification. A failure shows the lines that differ in its own message, and
 * never a command that would approve what was received: a learner who pasted one would have approved a wrong
 * answer. What was received is written beside it ({@code .received.txt}) for a closer look.
 */
public final class Snapshot {
    private static final Scrubber SCRUBBER = Scrubbers.scrubAll(
            text -> text.replaceAll("(localhost|127\\.0\\.0\\.1):\\d{2,5}", "$1:PORT"),
            new RegExScrubber("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT", "[http date]"),
            new RegExScrubber("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?", "[iso time]"),
            new RegExScrubber("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[uuid]"));
    /** Enough differing lines to see the point; the rest are counted. */
    private static final int MAX_SHOWN = 12;
    /** The launcher's mistake check sets this to {@code false}: its runs must leave no file in the chapter. */
    static final String WRITE_RECEIVED = "kata.snapshot.writeReceived";

    private Snapshot() {
    }

    /** Compares {@code text}, scrubbed, with the calling test's approved snapshot. */
    public static void verify(String text) {
        ApprovalNamer namer = Approvals.createApprovalNamer();
        File approvedFile = namer.getApprovedFile(".txt");
        File receivedFile = namer.getReceivedFile(".txt");
        String received = normalize(SCRUBBER.scrub(text));
        try {
            if (!approvedFile.exists()) {
                writeReceived(receivedFile, received);
                throw new AssertionError("There is no approved snapshot " + approvedFile.getName()
                        + " beside the test: it is the kata's to give, not yours to write. What your code sent:\n"
                        + indent(received));
            }
            String approved = normalize(Files.readString(approvedFile.toPath(), StandardCharsets.UTF_8));
            if (approved.equals(received)) {
                Files.deleteIfExists(receivedFile.toPath());
                return;
            }
            writeReceived(receivedFile, received);
            throw new AssertionError(differs(approved, received) + "\n  (the whole of what your code sent is in "
                    + receivedFile.getName() + " beside the test; the approved file is the specification: change your "
                    + "code, not the file)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What differs between the approved and the received text, line by line, as a learner reads it. */
    static String differs(String approved, String received) {
        List<String> expected = List.of(approved.split("\n", -1));
        List<String> actual = List.of(received.split("\n", -1));
        List<String> shown = new ArrayList<>();
        int differing = 0;
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : null;
            String got = i < actual.size() ? actual.get(i) : null;
            if (want != null && want.equals(got)) {
                continue;
            }
            differing++;
            if (shown.size() < MAX_SHOWN * 2) {
                shown.add("  line " + (i + 1) + ": expected " + (want == null ? "no line" : "«" + want + "»"));
                shown.add("  " + " ".repeat(String.valueOf(i + 1).length() + 7) + "but got  " + (got == null ? "no line" : "«" + got + "»"));
            }
        }
        String more = differing > MAX_SHOWN ? "\n  … and " + (differing - MAX_SHOWN) + " more lines differ" : "";
        return "The answer differs from the approved snapshot in " + differing + (differing == 1 ? " line" : " lines")
                + ":\n" + String.join("\n", shown) + more;
    }

    /** What a snapshot sees of {@code text}. */
    public static String scrub(String text) {
        return SCRUBBER.scrub(text);
    }

    private static void writeReceived(File receivedFile, String received) throws IOException {
        if (Boolean.parseBoolean(System.getProperty(WRITE_RECEIVED, "true"))) {
            Files.writeString(receivedFile.toPath(), received, StandardCharsets.UTF_8);
        }
    }

    private static String normalize(String text) {
        String lf = text.replace("\r\n", "\n");
        return lf.endsWith("\n") ? lf.substring(0, lf.length() - 1) : lf;
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}

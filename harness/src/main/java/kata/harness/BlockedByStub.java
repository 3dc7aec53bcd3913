package kata.harness;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test that could not get as far as its own subject: an earlier step answered the stub's
 * {@code 501 Not Implemented}. Its lesson pointer names the section of that step (the one the 501 names),
 * not the section of the test's own assertion, so that the pointer and the message agree.
 */
public final class BlockedByStub extends AssertionError {
    private static final Pattern SECTION = Pattern.compile("README\\.md (§\\d+)");

    private final String section;

    public BlockedByStub(String message, String section) {
        super(message);
        this.section = section;
    }

    /** The section the stub's 501 names, when it names one. */
    public Optional<String> section() {
        return Optional.ofNullable(section);
    }

    /** The first § that {@code stubAnswer} names ({@code "… see README.md §3"}), or null. */
    public static String sectionIn(String stubAnswer) {
        Matcher m = SECTION.matcher(stubAnswer);
        return m.find() ? m.group(1) : null;
    }
}

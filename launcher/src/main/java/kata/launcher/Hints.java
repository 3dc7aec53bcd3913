package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chapter's hints, read from its {@code hints.md}: a {@code ## Class.method} section per test, in the
 * order a learner meets the tests, each with numbered steps from a nudge to a near-answer. Lines indented
 * under a step continue it.
 */
final class Hints {
    private static final Pattern SECTION = Pattern.compile("^##\\s+(\\S+)\\s*$");
    private static final Pattern STEP = Pattern.compile("^\\d+\\.\\s+(.*)$");

    private final Map<String, List<String>> steps;

    private Hints(Map<String, List<String>> steps) {
        this.steps = steps;
    }

    static Hints of(Chapter chapter) {
        return read(chapter.hints());
    }

    static Hints read(Path file) {
        if (!Files.exists(file)) {
            return new Hints(Map.of());
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Hints parse(List<String> lines) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        List<String> current = null;
        StringBuilder step = null;
        for (String line : lines) {
            Matcher section = SECTION.matcher(line);
            Matcher numbered = STEP.matcher(line);
            if (line.startsWith("#")) {
                finish(current, step);
                step = null;
                current = section.matches() ? steps.computeIfAbsent(section.group(1), k -> new ArrayList<>()) : null;
            } else if (current != null && numbered.matches()) {
                finish(current, step);
                step = new StringBuilder(numbered.group(1));
            } else if (step != null && !line.isBlank() && Character.isWhitespace(line.charAt(0))) {
                step.append('\n').append(line.strip());
            } else if (line.isBlank()) {
                finish(current, step);
                step = null;
            }
        }
        finish(current, step);
        return new Hints(steps);
    }

    private static void finish(List<String> section, StringBuilder step) {
        if (section != null && step != null) {
            section.add(step.toString());
        }
    }

    /** The steps for {@code test} ({@code Class.method}), gentle first; empty when it has none. */
    List<String> steps(String test) {
        return steps.getOrDefault(test, List.of());
    }

    /** Tests in the order of the hints file; a test without hints comes after all of them. */
    int position(String test) {
        int i = 0;
        for (String known : steps.keySet()) {
            if (known.equals(test)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    List<String> tests() {
        return List.copyOf(steps.keySet());
    }
}

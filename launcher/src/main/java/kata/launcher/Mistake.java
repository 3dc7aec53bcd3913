package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the ways people get a chapter wrong, written as a small edit of its reference solution: what the
 * learner was thinking, the lesson section it breaks, the tests that reject it, and the edit. A chapter's
 * catalog is {@code solutions/NN-name/mistakes.md}; {@code ./kata verify} applies each mistake to a copy of
 * the solution and requires a test to fail with a pointer to that section.
 *
 * <p>The catalog is Markdown, so that a learner reads it as it is:
 * <pre>
 * ## prefix-origin: the origin check with startsWith
 * - **Thinking:** "The app lives at http://localhost:8080; whatever starts with that is the app."
 * - **Breaks:** §4 What the browser blocks
 * - **Caught by:** `CorsApiTest.lookAlikeOriginsAreRefused`
 *
 * In `src/main/java/kata/cors/CorsApiServer.java`, replace
 * ```java
 * (exact text of the solution, indentation included)
 * ```
 * with
 * ```java
 * (the mistaken text)
 * ```
 * </pre>
 * A mistake may have several replacements, in one file or more; each text to replace must occur exactly
 * once, so that a change of the solution breaks the catalog loudly instead of silently.
 */
record Mistake(String id, String title, String thinking, String breaks, List<String> caughtBy, List<Edit> edits) {
    /** Replace {@code before} by {@code after} in {@code file} (relative to the solution's folder). */
    record Edit(String file, String before, String after) {
    }

    private static final Pattern HEADING = Pattern.compile("^## ([a-z0-9][a-z0-9-]*): (.+)$");
    private static final Pattern FIELD = Pattern.compile("^- \\*\\*(Thinking|Breaks|Caught by):\\*\\* (.*)$");
    private static final Pattern FILE = Pattern.compile("^In `([^`]+)`");
    private static final Pattern SECTION = Pattern.compile("§\\d+");
    private static final Pattern TEST = Pattern.compile("`([A-Za-z0-9_]+\\.[A-Za-z0-9_]+)`");

    /** The § number this mistake breaks, for example {@code §4}. */
    String section() {
        Matcher m = SECTION.matcher(breaks);
        return m.find() ? m.group() : "";
    }

    static List<Mistake> catalog(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n"), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Mistake> parse(String text, String where) {
        List<Mistake> mistakes = new ArrayList<>();
        Builder current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                if (current != null) {
                    mistakes.add(current.build(where));
                }
                current = new Builder(heading.group(1), heading.group(2).strip());
                continue;
            }
            if (line.startsWith("## ") || line.startsWith("# ")) {
                if (current != null) {
                    mistakes.add(current.build(where));
                }
                current = null;
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher field = FIELD.matcher(line);
            Matcher file = FILE.matcher(line);
            if (field.matches()) {
                StringBuilder value = new StringBuilder(field.group(2).strip());
                while (i + 1 < lines.length && lines[i + 1].startsWith("  ") && !lines[i + 1].isBlank()) {
                    value.append(' ').append(lines[++i].strip());
                }
                current.field(field.group(1), value.toString());
            } else if (file.find()) {
                current.file = file.group(1);
            } else if (line.startsWith("```")) {
                List<String> block = new ArrayList<>();
                while (++i < lines.length && !lines[i].startsWith("```")) {
                    block.add(lines[i]);
                }
                if (i >= lines.length) {
                    throw new IllegalArgumentException(where + ": mistake '" + current.id + "' has a ``` block that is never closed");
                }
                current.block(String.join("\n", block), where);
            }
        }
        if (current != null) {
            mistakes.add(current.build(where));
        }
        List<String> ids = new ArrayList<>();
        for (Mistake mistake : mistakes) {
            if (ids.contains(mistake.id())) {
                throw new IllegalArgumentException(where + ": two mistakes are called '" + mistake.id() + "'");
            }
            ids.add(mistake.id());
        }
        return List.copyOf(mistakes);
    }

    /** Applies the edits to a copy of the solution's {@code src/main}, rooted at {@code solutionDir}. */
    void applyTo(Path solutionDir) {
        for (Edit edit : edits) {
            Path file = solutionDir.resolve(edit.file());
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
                int at = text.indexOf(edit.before());
                if (at < 0 || text.indexOf(edit.before(), at + 1) >= 0) {
                    throw new IllegalStateException("mistake '" + id + "': the text to replace is " + (at < 0 ? "not" : "more than once")
                            + " in " + edit.file() + " (did the solution change? update solutions/…/mistakes.md):\n"
                            + edit.before());
                }
                Files.writeString(file, text.substring(0, at) + edit.after() + text.substring(at + edit.before().length()),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Builder {
        final String id;
        final String title;
        String thinking = "";
        String breaks = "";
        final List<String> caughtBy = new ArrayList<>();
        String file;
        String pendingBefore;
        final List<Edit> edits = new ArrayList<>();

        Builder(String id, String title) {
            this.id = id;
            this.title = title;
        }

        void field(String name, String value) {
            switch (name) {
                case "Thinking" -> thinking = value;
                case "Breaks" -> breaks = value;
                default -> {
                    Matcher test = TEST.matcher(value);
                    while (test.find()) {
                        caughtBy.add(test.group(1));
                    }
                }
            }
        }

        void block(String text, String where) {
            if (file == null) {
                throw new IllegalArgumentException(where + ": mistake '" + id + "' has code before it says In `file`");
            }
            if (pendingBefore == null) {
                pendingBefore = text;
            } else {
                edits.add(new Edit(file, pendingBefore, text));
                pendingBefore = null;
            }
        }

        Mistake build(String where) {
            if (pendingBefore != null) {
                throw new IllegalArgumentException(where + ": mistake '" + id + "' says what to replace but not with what");
            }
            if (edits.isEmpty()) {
                throw new IllegalArgumentException(where + ": mistake '" + id + "' has no edit");
            }
            if (!SECTION.matcher(breaks).find()) {
                throw new IllegalArgumentException(where + ": mistake '" + id + "' needs - **Breaks:** §N (the section it breaks)");
            }
            if (thinking.isBlank()) {
                throw new IllegalArgumentException(where + ": mistake '" + id + "' needs - **Thinking:** (what the learner thought)");
            }
            return new Mistake(id, title, thinking, breaks, List.copyOf(caughtBy), List.copyOf(edits));
        }
    }
}

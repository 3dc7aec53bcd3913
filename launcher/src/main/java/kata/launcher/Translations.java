package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the Chinese lessons from drifting silently. Each {@code *.zh.md} starts with the hash of the English
 * file it translates ({@code <!-- translates: README.md sha256:0123456789ab -->}); when the English changes
 * the hash no longer matches and {@code ./kata verify} names the file. The § sections of a lesson and the
 * tests and steps of a hints file must match too, so that every test's pointer and every hint step lands in
 * both languages.
 */
final class Translations {
    private static final Pattern SOURCE = Pattern.compile("^<!-- translates: (\\S+) sha256:([0-9a-f]{12}) -->");
    private static final Pattern SECTION = Pattern.compile("^## (§\\d+)\\b.*");
    private static final Pattern HINT_TEST = Pattern.compile("^## (\\S+)\\s*$");
    private static final Pattern STEP = Pattern.compile("^\\d+\\.\\s.*");

    private Translations() {
    }

    /** What is wrong with a chapter's translations ({@code README.zh.md}, {@code hints.zh.md}); none when they are current. */
    static List<String> problems(Path chapter) {
        List<String> problems = new ArrayList<>();
        problems.addAll(pair(chapter.resolve("README.md"), chapter.resolve("README.zh.md"), Translations::sections,
                "chapters/" + chapter.getFileName() + "/README.zh.md"));
        problems.addAll(pair(chapter.resolve("hints.md"), chapter.resolve("hints.zh.md"), Translations::hintSteps,
                "chapters/" + chapter.getFileName() + "/hints.zh.md"));
        return problems;
    }

    /** The same for the kata's own README. */
    static List<String> rootProblems(Path root) {
        return pair(root.resolve("README.md"), root.resolve("README.zh.md"), text -> List.of(), "README.zh.md");
    }

    interface Shape {
        List<String> of(String text);
    }

    static List<String> pair(Path english, Path chinese, Shape shape, String name) {
        if (!Files.isRegularFile(english)) {
            return List.of();
        }
        if (!Files.isRegularFile(chinese)) {
            return List.of(name + " is missing: every lesson and hints file has its Chinese translation");
        }
        String en = read(english);
        String zh = read(chinese);
        List<String> problems = new ArrayList<>();
        Matcher source = SOURCE.matcher(zh);
        if (!source.find()) {
            problems.add(name + " does not say which English it translates (first line: <!-- translates: "
                    + english.getFileName() + " sha256:" + hash(en) + " -->)");
        } else if (!source.group(2).equals(hash(en))) {
            problems.add(name + " translates an older " + english.getFileName() + " (sha256:" + source.group(2) + ", now "
                    + hash(en) + "): bring the translation up to date with what changed (git log -p " + english.getFileName()
                    + "), then set the hash in its first line");
        }
        List<String> enShape = shape.of(en);
        List<String> zhShape = shape.of(zh);
        if (!enShape.equals(zhShape)) {
            problems.add(name + " does not have the same sections as " + english.getFileName() + ": English " + enShape
                    + ", Chinese " + zhShape);
        }
        return problems;
    }

    /** The § sections of a lesson, in order. */
    static List<String> sections(String text) {
        List<String> sections = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                sections.add(m.group(1));
            }
        }
        return sections;
    }

    /** Each test of a hints file with its number of steps: {@code PollingApiTest.x×3}. */
    static List<String> hintSteps(String text) {
        List<String> tests = new ArrayList<>();
        String test = null;
        int steps = 0;
        for (String line : text.split("\n")) {
            Matcher m = HINT_TEST.matcher(line);
            if (line.startsWith("#")) {
                if (test != null) {
                    tests.add(test + "×" + steps);
                }
                test = m.matches() ? m.group(1) : null;
                steps = 0;
            } else if (test != null && STEP.matcher(line).matches()) {
                steps++;
            }
        }
        if (test != null) {
            tests.add(test + "×" + steps);
        }
        return tests;
    }

    /** The first 12 hex digits of the SHA-256 of {@code text} with LF line ends (a Windows checkout has CRLF). */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package kata.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chapter's lesson as the learner reads it: English ({@code README.md}) or Chinese ({@code README.zh.md}),
 * chosen once with {@code ./kata lang zh} (kept in {@code .kata/lang}) or {@code KATA_LANG=zh}. The lesson
 * pointer under a failure names the section in that lesson, with that lesson's own heading.
 */
public final class LessonText {
    /** Set by the launcher for the chapter it runs; Maven runs a chapter's tests in the chapter's folder. */
    public static final String CHAPTER_DIR = "kata.chapter.dir";
    private static final Pattern SECTION = Pattern.compile("§(\\d+)");

    private LessonText() {
    }

    /** {@code zh} or {@code en}: the system property {@code kata.lang}, then {@code KATA_LANG}, then {@code .kata/lang}. */
    public static String language() {
        String chosen = System.getProperty("kata.lang");
        if (chosen == null || chosen.isBlank()) {
            chosen = System.getenv("KATA_LANG");
        }
        if (chosen == null || chosen.isBlank()) {
            chosen = root().map(r -> r.resolve(".kata/lang")).filter(Files::isRegularFile).map(LessonText::read).orElse("en");
        }
        return chosen.strip().toLowerCase(Locale.ROOT).startsWith("zh") ? "zh" : "en";
    }

    /**
     * The pointer line under a failure: {@code → read the lesson, README.md §3 The since cursor}, or in Chinese
     * {@code → 读课文 README.zh.md §3 since 游标}. {@code section} is what the test's {@code @Lesson} says; the
     * heading is taken from the lesson itself where it has that §.
     */
    public static String pointer(String section) {
        boolean zh = language().equals("zh");
        Path lesson = chapterDir().resolve(zh ? "README.zh.md" : "README.md");
        if (zh && !Files.isRegularFile(lesson)) {
            zh = false;
            lesson = chapterDir().resolve("README.md");
        }
        String shown = heading(lesson, section).orElse(section);
        return zh ? "→ 读课文 README.zh.md " + shown : "→ read the lesson, README.md " + shown;
    }

    /** The heading of {@code section}'s § number in {@code lesson}, without the {@code ## }: {@code §3 The since cursor}. */
    static Optional<String> heading(Path lesson, String section) {
        Matcher number = SECTION.matcher(section);
        if (!number.find() || !Files.isRegularFile(lesson)) {
            return Optional.empty();
        }
        String prefix = "## §" + number.group(1) + " ";
        return read(lesson).lines().filter(line -> line.startsWith(prefix)).findFirst().map(line -> line.substring(3).strip());
    }

    static Path chapterDir() {
        return Path.of(System.getProperty(CHAPTER_DIR, ".")).toAbsolutePath().normalize();
    }

    /** The kata's root: the folder above the chapter that holds {@code chapters/}. */
    private static Optional<Path> root() {
        for (Path at = chapterDir(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("chapters")) && Files.isRegularFile(at.resolve("pom.xml"))) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

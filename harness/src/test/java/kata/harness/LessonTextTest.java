package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The pointer under a failure names the section in the learner's language, with that lesson's heading. */
@ResourceLock("kata.lang")
class LessonTextTest {
    @TempDir
    Path chapter;

    @Test
    void thePointerNamesTheSectionInTheChosenLanguage() throws IOException {
        Files.writeString(chapter.resolve("README.md"), "# Ch\n\n## §3 The since cursor\n");
        Files.writeString(chapter.resolve("README.zh.md"), "<!-- translates -->\n# 章\n\n## §3 since 游标\n");
        String before = System.getProperty(LessonText.CHAPTER_DIR);
        System.setProperty(LessonText.CHAPTER_DIR, chapter.toString());
        try {
            System.setProperty("kata.lang", "en");
            assertEquals("→ read the lesson, README.md §3 The since cursor", LessonText.pointer("§3 The since cursor"));
            System.setProperty("kata.lang", "zh");
            assertEquals("→ 读课文 README.zh.md §3 since 游标", LessonText.pointer("§3 The since cursor"));
            // A § the lesson does not have is still named, as the test wrote it.
            assertEquals("→ 读课文 README.zh.md §9 Gone", LessonText.pointer("§9 Gone"));
        } finally {
            System.clearProperty("kata.lang");
            if (before == null) {
                System.clearProperty(LessonText.CHAPTER_DIR);
            } else {
                System.setProperty(LessonText.CHAPTER_DIR, before);
            }
        }
    }
}

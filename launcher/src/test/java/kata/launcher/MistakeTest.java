package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog of mistakes reads as Markdown and applies as exact edits, loudly when the solution moved on. */
class MistakeTest {
    static final String CATALOG = """
            # The ways people get it wrong

            ## prefix-origin: the origin check with startsWith
            - **Thinking:** "Whatever starts with the app's URL is the app."
            - **Breaks:** §4 What the browser blocks
            - **Caught by:** `CorsApiTest.lookAlikes`, `CorsChatTest.evil`

            In `src/main/java/A.java`, replace
            ```java
                    return allowed.contains(origin);
            ```
            with
            ```java
                    return allowed.stream().anyMatch(origin::startsWith);
            ```

            ## two-edits: two files
            - **Thinking:** "one"
              and a second line
            - **Breaks:** §2 Two

            In `src/main/java/A.java`, replace
            ```java
            int a = 1;
            ```
            with
            ```java
            int a = 2;
            ```
            In `src/main/resources/page.html`, replace
            ```html
            <p>hi</p>
            ```
            with
            ```html
            ```
            """;

    @TempDir
    Path solution;

    @Test
    void aCatalogReadsAsMarkdown() {
        List<Mistake> mistakes = Mistake.parse(CATALOG, "mistakes.md");

        assertEquals(2, mistakes.size());
        Mistake first = mistakes.get(0);
        assertEquals("prefix-origin", first.id());
        assertEquals("the origin check with startsWith", first.title());
        assertEquals("§4", first.section());
        assertEquals(List.of("CorsApiTest.lookAlikes", "CorsChatTest.evil"), first.caughtBy());
        assertEquals(new Mistake.Edit("src/main/java/A.java", "        return allowed.contains(origin);",
                "        return allowed.stream().anyMatch(origin::startsWith);"), first.edits().get(0));
        assertEquals("\"one\" and a second line", mistakes.get(1).thinking());
        assertEquals(new Mistake.Edit("src/main/resources/page.html", "<p>hi</p>", ""), mistakes.get(1).edits().get(1));
    }

    @Test
    void aMistakeIsAppliedToACopyOfTheSolution() throws IOException {
        write("src/main/java/A.java", "class A {\n    int a = 1;\n}\n");
        write("src/main/resources/page.html", "<body>\n<p>hi</p>\n</body>\n");

        Mistake.parse(CATALOG, "mistakes.md").get(1).applyTo(solution);

        assertEquals("class A {\n    int a = 2;\n}\n", Files.readString(solution.resolve("src/main/java/A.java")));
        assertEquals("<body>\n\n</body>\n", Files.readString(solution.resolve("src/main/resources/page.html")));
    }

    @Test
    void anEditWhoseTextIsNotThereExactlyOnceSaysSo() throws IOException {
        write("src/main/java/A.java", "int a = 1; int a = 1;");
        write("src/main/resources/page.html", "<p>hi</p>");
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Mistake.parse(CATALOG, "mistakes.md").get(1).applyTo(solution));
        assertTrue(twice.getMessage().contains("more than once in src/main/java/A.java"), twice.getMessage());

        write("src/main/java/A.java", "class A {}");
        IllegalStateException gone = assertThrows(IllegalStateException.class,
                () -> Mistake.parse(CATALOG, "mistakes.md").get(0).applyTo(solution));
        assertTrue(gone.getMessage().contains("is not in src/main/java/A.java (did the solution change?"), gone.getMessage());
    }

    @Test
    void aMistakeWithoutASectionOrAnEditIsRefused() {
        IllegalArgumentException noSection = assertThrows(IllegalArgumentException.class, () -> Mistake.parse(
                "## x: t\n- **Thinking:** \"a\"\nIn `f`, replace\n```\na\n```\nwith\n```\nb\n```\n", "m.md"));
        assertTrue(noSection.getMessage().contains("needs - **Breaks:** §N"), noSection.getMessage());
        IllegalArgumentException noEdit = assertThrows(IllegalArgumentException.class,
                () -> Mistake.parse("## x: t\n- **Thinking:** \"a\"\n- **Breaks:** §1 A\n", "m.md"));
        assertTrue(noEdit.getMessage().contains("has no edit"), noEdit.getMessage());
    }

    @Test
    void aVerdictCountsOnlyAFailureThatPointsToTheBrokenSection() {
        Mistake mistake = Mistake.parse(CATALOG, "mistakes.md").get(0);
        String pointed = "expected no CORS headers\n    → read the lesson, README.md §4 What the browser blocks";
        String elsewhere = "expected 403\n    → read the lesson, README.md §6 CSRF";

        assertEquals(MistakeCheck.Kind.REJECTED, MistakeCheck.judge("05", mistake, List.of(
                TestOutcome.fail("CorsApiTest.lookAlikes", pointed), TestOutcome.pass("B.b", 1)), 1).kind());
        assertEquals(MistakeCheck.Kind.REJECTED, MistakeCheck.judge("05", mistake, List.of(
                TestOutcome.fail("A.a", "x\n    → 读课文 README.zh.md §4 浏览器拦下什么")), 1).kind());
        assertEquals(MistakeCheck.Kind.POINTS_ELSEWHERE, MistakeCheck.judge("05", mistake, List.of(
                TestOutcome.fail("A.a", elsewhere)), 1).kind());
        assertEquals(MistakeCheck.Kind.NOT_A_LEARNER_FAILURE, MistakeCheck.judge("05", mistake, List.of(
                TestOutcome.fail("A.a", "java.util.concurrent.TimeoutException: timed out")), 1).kind());
        assertEquals(MistakeCheck.Kind.SURVIVES, MistakeCheck.judge("05", mistake, List.of(
                TestOutcome.pass("A.a", 1)), 1).kind());
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(solution.resolve(file).getParent());
        Files.writeString(solution.resolve(file), text);
    }
}

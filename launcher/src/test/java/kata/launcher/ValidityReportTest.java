package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validity report reads Surefire's XML and refuses every way a kata can be invalid. */
class ValidityReportTest {
    @TempDir
    Path root;

    private Path chapter() throws IOException {
        Path chapter = root.resolve("chapters/01-demo");
        Files.createDirectories(chapter);
        Files.writeString(chapter.resolve("pom.xml"), "<project/>");
        String lesson = "# Demo\n\n## §1 One\n\n## §2 Two\n";
        Files.writeString(chapter.resolve("README.md"), lesson);
        Files.writeString(chapter.resolve("README.zh.md"), "<!-- translates: README.md sha256:"
                + Translations.hash(lesson) + " -->\n# 演示\n\n## §1 一\n\n## §2 二\n");
        return chapter;
    }

    /** A catalog of {@code count} mistakes, each with the verdict {@code kind} from the mistake check. */
    private void mistakes(int count, String kind) throws IOException {
        StringBuilder catalog = new StringBuilder("# Demo mistakes\n");
        StringBuilder verdicts = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            catalog.append("\n## m").append(i).append(": mistake ").append(i).append("\n- **Thinking:** \"why not\"\n")
                    .append("- **Breaks:** §1 One\n\nIn `src/main/java/A.java`, replace\n```java\nright\n```\nwith\n```java\nwrong\n```\n");
            verdicts.append("01-demo\tm").append(i).append('\t').append(kind).append("\tDemoTest.a\n");
        }
        Files.createDirectories(root.resolve("solutions/01-demo"));
        Files.writeString(root.resolve("solutions/01-demo/mistakes.md"), catalog);
        Files.createDirectories(root.resolve("target/kata"));
        Files.writeString(root.resolve("target/kata/mistakes.tsv"), verdicts);
    }

    private static void report(Path folder, String... testcases) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("TEST-kata.demo.DemoTest.xml"),
                "<testsuite name=\"kata.demo.DemoTest\">" + String.join("", testcases) + "</testsuite>");
    }

    private static String passing(String name) {
        return "<testcase classname=\"kata.demo.DemoTest\" name=\"" + name + "\" time=\"0.5\"/>";
    }

    private static String failing(String name, String kind, String type, String message) {
        return "<testcase classname=\"kata.demo.DemoTest\" name=\"" + name + "\" time=\"0.2\"><" + kind
                + " type=\"" + type + "\" message=\"" + message + "\"/></testcase>";
    }

    @Test
    void aChapterIsValidWhenEveryTestFailsOnTheStubWithALessonPointerAndPassesOnTheSolution() throws IOException {
        Path chapter = chapter();
        report(chapter.resolve("target/surefire-reports"),
                failing("a", "failure", "java.lang.AssertionError", "expected x → read the lesson, README.md §2"),
                failing("b", "failure", "java.lang.AssertionError", "expected y → read the lesson, README.md §3"));
        report(chapter.resolve("target/solution/surefire-reports"), passing("a"), passing("b"));
        mistakes(ValidityReport.MIN_MISTAKES, "REJECTED");

        ValidityReport.Row row = ValidityReport.chapterRow(chapter);

        assertEquals(List.of(), row.problems());
        assertEquals(2, row.failOnStub());
        assertEquals(2, row.passOnSolution());
        assertEquals(ValidityReport.MIN_MISTAKES, row.mistakesRejected());
        assertTrue(ValidityReport.render(List.of(row)).contains("VALID: every chapter's stub fails"));
    }

    @Test
    void everyWayOfBeingInvalidIsNamed() throws IOException {
        Path chapter = chapter();
        report(chapter.resolve("target/surefire-reports"),
                passing("free"),
                failing("crash", "error", "java.lang.NullPointerException", "boom"),
                failing("hang", "error", "java.util.concurrent.TimeoutException", "timed out after 30 seconds"),
                failing("pointless", "failure", "java.lang.AssertionError", "expected 1 but was 2"),
                failing("red", "failure", "java.lang.AssertionError", "README.md §1"));
        report(chapter.resolve("target/solution/surefire-reports"),
                passing("free"), passing("crash"), passing("hang"), passing("pointless"),
                failing("red", "failure", "java.lang.AssertionError", "still red"));

        List<String> problems = ValidityReport.chapterRow(chapter).problems();

        assertEquals(List.of(
                "passes on the untouched stub (a test must not pass for free): DemoTest.free",
                "crashes on the stub instead of failing with a learner's message (java.lang.NullPointerException): DemoTest.crash",
                "crashes on the stub instead of failing with a learner's message (java.util.concurrent.TimeoutException): DemoTest.hang",
                "fails on the stub without pointing to the lesson (add @Lesson): DemoTest.pointless",
                "does not pass on the solution (failure): DemoTest.red — still red"), problems.subList(0, 5));
    }

    @Test
    void aMistakeThatIsNotRejectedOrATooShortCatalogOrAStaleTranslationMakesTheKataInvalid() throws IOException {
        Path chapter = chapter();
        report(chapter.resolve("target/surefire-reports"),
                failing("a", "failure", "java.lang.AssertionError", "expected x → read the lesson, README.md §1"));
        report(chapter.resolve("target/solution/surefire-reports"), passing("a"));
        mistakes(2, "SURVIVES");
        Files.writeString(chapter.resolve("README.md"), "# Demo\n\n## §1 One, changed\n\n## §2 Two\n\n## §3 New\n");

        List<String> problems = ValidityReport.chapterRow(chapter).problems();

        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("has 2, at least 10 are needed"), problems.get(0));
        assertTrue(problems.get(1).startsWith("the mistake 'm1' is not rejected: survives"), problems.get(1));
        assertTrue(problems.get(3).contains("translates an older README.md"), problems.get(3));
        assertTrue(problems.get(4).contains("does not have the same sections"), problems.get(4));
    }

    @Test
    void aChapterWhoseTestsDidNotRunIsInvalid() throws IOException {
        List<String> problems = ValidityReport.chapterRow(chapter()).problems();
        assertEquals("no test ran against the solution", problems.get(0));
    }
}

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
        return chapter;
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

        ValidityReport.Row row = ValidityReport.chapterRow(chapter);

        assertEquals(List.of(), row.problems());
        assertEquals(2, row.failOnStub());
        assertEquals(2, row.passOnSolution());
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
                "does not pass on the solution (failure): DemoTest.red — still red"), problems);
    }

    @Test
    void aChapterWhoseTestsDidNotRunIsInvalid() throws IOException {
        List<String> problems = ValidityReport.chapterRow(chapter()).problems();
        assertEquals(List.of("no test ran against the solution"), problems);
    }
}

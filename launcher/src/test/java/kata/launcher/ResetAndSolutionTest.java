package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kata reset} puts the stub back and keeps the learner's work; {@code ./kata solution} shows the diff. */
class ResetAndSolutionTest {
    @TempDir
    Path folder;

    @Test
    void resetRestoresTheStubAndKeepsACopyOfTheLearnersWork() throws IOException {
        FakeKata kata = FakeKata.cloneIn(folder);
        String stub = kata.read(kata.greeter("01-hello"));
        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);
        kata.write("chapters/01-hello/src/main/java/hello/Extra.java", "package hello; class Extra {}\n");

        String said = kata.kataAnswering("y\n", "reset", "01-hello");

        assertEquals(stub, kata.read(kata.greeter("01-hello")), "the stub is back");
        assertTrue(Files.notExists(folder.resolve("chapters/01-hello/src/main/java/hello/Extra.java")),
                "a file the learner added is gone from the chapter");
        List<Path> backups = backups();
        assertEquals(1, backups.size(), "one copy of the learner's work: " + backups);
        Path kept = backups.get(0).resolve("src/main/java/hello");
        assertEquals(FakeKata.HALF_DONE.replace("PKG", "hello"), kata.read(kept.resolve("Greeter.java")));
        assertTrue(Files.exists(kept.resolve("Extra.java")));
        assertTrue(said.startsWith("Reset chapters/01-hello/src/main to the stub in git's HEAD? Your files are "
                + "copied to .kata/backup/01-hello-"), said);
        assertTrue(said.contains("Your files are in .kata/backup/01-hello-"), said);
    }

    @Test
    void resetChangesNothingWithoutAYes() throws IOException {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);

        String said = kata.kataAnswering("\n", "reset", "01-hello");

        assertTrue(said.endsWith("[y/N] Nothing changed.\n"), said);
        assertEquals(FakeKata.HALF_DONE.replace("PKG", "hello"), kata.read(kata.greeter("01-hello")));
        assertEquals(List.of(), backups());
    }

    @Test
    void resetWithYesDoesNotAsk() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);

        String said = kata.kata("reset", "01-hello", "--yes");

        assertTrue(said.startsWith("Reset chapters/01-hello/src/main to the stub."), said);
    }

    @Test
    void solutionShowsTheReferenceAsADiffAgainstTheLearnersCode() {
        FakeKata kata = FakeKata.cloneIn(folder);

        String diff = kata.kata("solution", "01-hello");

        assertTrue(diff.startsWith("The reference solution of 01-hello against your code (- yours, + the solution's):\n"), diff);
        assertTrue(diff.contains("--- a/chapters/01-hello/src/main/java/hello/Greeter.java\n"
                + "+++ b/solutions/01-hello/src/main/java/hello/Greeter.java\n"), diff);
        assertTrue(diff.contains("\n-        return \"TODO: greet\";\n"), diff);
        assertTrue(diff.contains("\n+        return String.format(template(), name);\n"), diff);
        assertTrue(!diff.contains("\u001b["), "no colors when not on a terminal");
    }

    @Test
    void solutionSaysSoWhenTheLearnersCodeIsTheReference() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);

        assertEquals("Your chapters/01-hello/src/main is the same as the reference solution.\n",
                kata.kata("solution", "01-hello"));
    }

    private List<Path> backups() throws IOException {
        Path backup = folder.resolve(".kata/backup");
        if (!Files.exists(backup)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(backup)) {
            return list.toList();
        }
    }
}

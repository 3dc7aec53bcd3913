package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kata status}: where a learner stands, from a fresh clone to a solved chapter. */
class StatusTest {
    @TempDir
    Path folder;

    @Test
    void aFreshCloneHasNothingSolvedAndShowsWhereToStart() {
        FakeKata kata = FakeKata.cloneIn(folder);

        String status = kata.kata("status");

        Snapshot.verify(status);
        assertFalse(Files.exists(folder.resolve(".kata/build")),
                "untouched stubs fail every test (./kata verify proves it): status must not run them");
    }

    @Test
    void aChapterWithItsSolutionCopiedInIsSolvedAndTheNextOneIsNext() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);

        Snapshot.verify(kata.kata());
    }

    @Test
    void aChapterHalfDoneIsInProgressWithHowManyTestsPass() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);

        String status = kata.kata("status");

        assertTrue(status.contains("01-hello   in progress (1 of 2 tests pass)  <- next"), status);
    }

    @Test
    void theLastResultIsKeptInTheCloneAndReusedWhileNothingChanged() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);
        kata.kata("status");
        String recorded = kata.read(Progress.fileIn(folder));

        String again = kata.kata("status");

        assertTrue(again.contains("1 of 2 tests pass"), again);
        assertEquals(recorded, kata.read(Progress.fileIn(folder)), "nothing changed, so nothing should run again");
        kata.git("check-ignore", "-q", ".kata/progress.json");
    }

    @Test
    void aChapterThatDoesNotCompileSaysSo() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.BROKEN);

        String status = kata.kata("status");

        assertTrue(status.contains("01-hello   in progress, does not compile  <- next"), status);
    }

    @Test
    void colorsAndSymbolsOnlyOnATerminal() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);
        Session session = kata.session();
        Map<Chapter, Optional<ChapterRun>> standings = new LinkedHashMap<>();
        session.catalog().chapters().forEach(chapter -> standings.put(chapter, session.current(chapter)));
        Optional<Chapter> next = session.next(standings);

        String onTerminal = new StatusTable(new Terminal(System.out, null, true)).render(standings, next);
        String piped = new StatusTable(kata.terminal("")).render(standings, next);

        assertTrue(onTerminal.contains("\u001b[32m✓ solved (2 tests)\u001b[0m"), onTerminal);
        assertTrue(onTerminal.contains("← next"), onTerminal);
        assertFalse(piped.contains("\u001b[") || piped.contains("✓") || piped.contains("←"), piped);
    }
}

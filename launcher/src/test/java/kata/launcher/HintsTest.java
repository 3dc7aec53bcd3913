package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints live beside the tests, in {@code hints.md}, and {@code ./kata hint} gives them one step at a time. */
class HintsTest {
    @TempDir
    Path folder;

    @Test
    void aHintsFileHasASectionPerTestWithNumberedStepsThatMaySpanLines() {
        Hints hints = Hints.parse(FakeKata.HINTS.lines().toList());

        assertEquals(List.of("GreeterTest.greetsAPersonByName", "GreeterTest.greetsTheWorldWhenNobodyIsNamed"), hints.tests());
        assertEquals(List.of("The words are in `greeting.txt`, beside the class.",
                "Read it with `Greeter.class.getResourceAsStream(\"greeting.txt\")`, then\n`String.format` the name into it."),
                hints.steps("GreeterTest.greetsAPersonByName"));
        assertEquals(List.of(), hints.steps("GreeterTest.noSuchTest"));
    }

    @Test
    void everyRealChapterHasHintsForItsTests() {
        Path chapters = Path.of("..").toAbsolutePath().normalize();
        for (Chapter chapter : new ChapterCatalog(chapters).chapters()) {
            Hints hints = Hints.of(chapter);
            assertTrue(!hints.tests().isEmpty(), chapter.name() + " has no hints.md sections");
            hints.tests().forEach(test -> assertTrue(!hints.steps(test).isEmpty(), chapter.name() + ": " + test + " has no steps"));
        }
    }

    @Test
    void eachHintCallShowsTheNextStepOfTheFirstFailingTestNeverMoreThanOne() {
        FakeKata kata = FakeKata.cloneIn(folder);

        String first = kata.kata("hint");
        String second = kata.kata("hint", "01-hello");
        String third = kata.kata("hint", "01");

        assertTrue(first.startsWith("Hint 1 of 2 — GreeterTest.greetsAPersonByName (01-hello)\n"
                + "  The words are in `greeting.txt`, beside the class.\n"), first);
        assertTrue(!first.contains("String.format"), "the first call shows the first step only: " + first);
        assertTrue(second.startsWith("Hint 2 of 2 — GreeterTest.greetsAPersonByName"), second);
        assertTrue(second.contains("  `String.format` the name into it."), second);
        assertTrue(third.startsWith("Hint 2 of 2") && third.contains("That was the last step"), third);
    }

    @Test
    void whenTheFirstTestPassesTheHintsMoveOnToTheNextFailingOne() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.kata("hint");
        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);

        String hint = kata.kata("hint");

        assertTrue(hint.startsWith("Hint 1 of 1 — GreeterTest.greetsTheWorldWhenNobodyIsNamed"), hint);
    }

    @Test
    void aSolvedChapterNeedsNoHint() {
        FakeKata kata = FakeKata.cloneIn(folder);
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);

        assertTrue(kata.kata("hint", "01-hello").startsWith("Every test of 01-hello passes"));
    }
}

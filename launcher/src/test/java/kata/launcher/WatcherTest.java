package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kata watch}: a save reruns the chapter's tests in the same JVM, and the learner sees the news. */
class WatcherTest {
    @TempDir
    Path folder;

    private final BlockingQueue<ChapterRun> runs = new LinkedBlockingQueue<>();
    private Watcher watcher;
    private Thread watching;

    private FakeKata startWatching() {
        FakeKata kata = FakeKata.cloneIn(folder);
        Chapter hello = new ChapterCatalog(folder).require("01-hello");
        watcher = new Watcher(kata.session(), hello, kata.terminal(""), runs::add);
        watching = new Thread(watcher::run, "kata-watch-test");
        watching.start();
        return kata;
    }

    /** The next run, waited for with a deadline (the first one compiles and warms up). */
    private ChapterRun nextRun() throws InterruptedException {
        ChapterRun run = runs.poll(60, TimeUnit.SECONDS);
        assertNotNull(run, "the watcher should have run the tests within 60 s");
        return run;
    }

    @AfterEach
    void stopWatching() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
            watching.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(watching.isAlive(), "the watcher should stop when closed");
        }
    }

    @Test
    void aSavedSourceRerunsTheTestsWithTheNewCode() throws InterruptedException {
        FakeKata kata = startWatching();
        ChapterRun first = nextRun();
        assertEquals(0, first.passed(), "the stub fails every test");
        assertTrue(kata.output().contains("First failure: GreeterTest.greetsAPersonByName"), kata.output());
        assertTrue(kata.output().contains("greet(\"Ada\") should say hello to Ada"), kata.output());
        assertTrue(kata.output().contains("Hint 1 of 2: The words are in `greeting.txt`"), kata.output());

        kata.saveGreeter("01-hello", FakeKata.SOLUTION);

        ChapterRun second = nextRun();
        assertTrue(second.solved(), "the solution was saved: " + second.outcomes());
        assertTrue(kata.output().contains("2 of 2 tests pass — chapter 01-hello solved!"), kata.output());
        assertTrue(kata.output().matches("(?s).*rerun \\d+\\.\\d\\d s \\(compile \\d+ ms, tests \\d+ ms\\).*"),
                "a rerun prints its time: " + kata.output());
    }

    @Test
    void aSavedResourceIsCopiedForTheRerun() throws InterruptedException {
        FakeKata kata = startWatching();
        nextRun();
        kata.saveGreeter("01-hello", FakeKata.SOLUTION);
        assertTrue(nextRun().solved());

        kata.write(folder.relativize(kata.greeting("01-hello")).toString(), "Hi, %s!\n");

        ChapterRun run = nextRun();
        assertEquals(0, run.passed(), "the page-like resource changed the greeting: " + run.outcomes());
        assertTrue(kata.output().contains("greeting.txt saved"), kata.output());
    }

    @Test
    void aSourceThatDoesNotCompileShowsTheCompilersErrorAndTheNextSaveRecovers() throws InterruptedException {
        FakeKata kata = startWatching();
        nextRun();

        kata.saveGreeter("01-hello", FakeKata.BROKEN);

        ChapterRun broken = nextRun();
        assertFalse(broken.compiled());
        assertTrue(kata.output().contains("Does not compile:\n  Greeter.java:"), kata.output());

        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);

        ChapterRun half = nextRun();
        assertEquals(1, half.passed(), half.outcomes().toString());
    }
}

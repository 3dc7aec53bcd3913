package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.Served;
import kata.launcher.room.RoomConfig;
import kata.launcher.room.RoomServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kata room}, {@code ./kata join}, {@code ./kata leave}, and the launcher's runs reaching the board. */
class RoomCommandsTest {
    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(List.of("01-hello", "02-world"))
            .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofSeconds(5))),
            RoomServer::port);

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @TempDir
    Path folder;

    private String board(Browser browser) {
        return String.join("\n", browser.texts("#room, #rows tr"));
    }

    private void waitForBoard(Browser browser, String expectation, String... fragments) {
        browser.waitUntil(expectation, () -> List.of(fragments).stream().allMatch(board(browser)::contains),
                () -> board(browser));
    }

    @Test
    void aJoinedCloneReportsItsStatusAndWatchRunsToTheBoard() throws Exception {
        Browser projector = browsers.open("Projector", room.url("/"));
        FakeKata kata = FakeKata.cloneIn(folder);

        String joined = kata.kataAnswering("Ada & Bob\n", "join", room.origin() + "/", room.server().code().toLowerCase());
        assertTrue(joined.startsWith("Your name on the board"), joined);
        assertTrue(joined.contains("Joined the room at " + room.origin() + " as Ada & Bob: you are on the board."), joined);
        assertTrue(joined.contains("never code or file names. ./kata leave stops it."), joined);
        waitForBoard(projector, "the board shows Ada, on the first chapter", "Ada & Bob", "01-hello 0/0");
        String saved = Files.readString(RoomConfig.fileIn(folder));
        assertTrue(saved.contains("\"name\": \"Ada & Bob\"") && saved.contains(room.server().code()), saved);

        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);
        kata.kata(); // ./kata: the chapter changed, so its tests run, and the run is reported
        waitForBoard(projector, "the board shows the status run", "01-hello 1/2", "GreeterTest.greetsTheWorldWhenNobodyIsNamed",
                "Room: 1 of 1 is red on GreeterTest.greetsTheWorldWhenNobodyIsNamed (01-hello)");
        kata.kata("hint", "01-hello"); // a hint step taken: the board counts it at once
        waitForBoard(projector, "the board counts the hint step", "01-hello 1/2", "1 hint");

        // ./kata watch: the same hook, on every rerun.
        Session session = kata.session();
        new Kata(session, kata.terminal(""));
        BlockingQueue<ChapterRun> runs = new LinkedBlockingQueue<>();
        Chapter hello = session.catalog().require("01-hello");
        try (Watcher watcher = new Watcher(session, hello, kata.terminal(""), runs::add)) {
            Thread watching = new Thread(watcher::run, "kata-watch-room-test");
            watching.start();
            assertTrue(runs.poll(60, TimeUnit.SECONDS) != null, "the first run");
            kata.saveGreeter("01-hello", FakeKata.SOLUTION);
            waitForBoard(projector, "the board shows the watch's rerun", "01-hello 2/2", "all green", "everyone is green");
            watcher.close();
            watching.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertEquals("Left the room at " + room.origin() + ": your runs are no longer reported.\n", kata.kata("leave"));
        long before = room.server().events();
        kata.saveGreeter("01-hello", FakeKata.STUB.replace("TODO: greet everyone", "changed"));
        String status = kata.kata();
        assertFalse(status.contains("room"), "no room, no word of one: " + status);
        assertTrue(Files.readString(RoomConfig.fileIn(folder)).contains("\"name\": \"Ada & Bob\""), "the name stays");
        assertEquals(before, room.server().events(), "nothing reached the room after ./kata leave");
    }

    @Test
    void aRoomThatIsGoneCostsOneLineAndTheRunGoesOn() {
        FakeKata kata = FakeKata.cloneIn(folder);
        String origin = room.origin();
        kata.kata("join", origin, room.server().code(), "--name", "Dee");
        room.server().close(); // the leader closed the laptop

        kata.saveGreeter("01-hello", FakeKata.HALF_DONE);
        String status = kata.kata();

        assertTrue(status.contains("01-hello") && status.contains("1 of 2"), "the status as always: " + status);
        List<String> roomLines = status.lines().filter(line -> line.contains("room")).toList();
        assertEquals(List.of("(The room's board did not get this run: the room at " + origin
                + " is not reachable (is it still open? is this the right address?).)"), roomLines, status);
    }

    @Test
    void aWrongCodeIsRefusedAtJoinAndNothingIsKept() {
        FakeKata kata = FakeKata.cloneIn(folder);
        String wrong = room.server().code().equals("AAAA") ? "CCCC" : "AAAA";
        assertEquals(1, new Kata(kata.session(), kata.terminal("")).run(List.of("join", room.origin(), wrong, "--name", "Mallory")));
        String said = kata.output();
        assertEquals("Not joined: the room at " + room.origin() + " answered 403: wrong room code: it is the code in "
                + "the leader's join line.\n", said);
        assertFalse(RoomConfig.load(folder).inRoom());
    }

    @Test
    void theRoomCommandPrintsTheJoinLineAndTheBoard() {
        FakeKata kata = FakeKata.cloneIn(folder);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Terminal terminal = Terminal.plain(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.BufferedReader(new java.io.StringReader("")));
        try (RoomServer opened = new RoomCommands(kata.session(), terminal).open(List.of("--port", "0"))) {
            String said = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            String base = "http://" + RoomServer.lanAddress() + ":" + opened.port();
            assertTrue(said.startsWith("Workshop room " + opened.code() + " is open.\n"
                    + "Pairs join with:  ./kata join " + base + " " + opened.code() + "\n"
                    + "The board:        " + base + "/   (full screen on the projector)\n"), said);
            assertTrue(opened.code().matches("[ACDEFHJKMNPQRTVWXY3479]{4}"), opened.code());
        }
    }

    @Test
    void aTakenPortIsSaidPlainly() {
        FakeKata kata = FakeKata.cloneIn(folder);
        int taken = room.port();
        UsageError refused = org.junit.jupiter.api.Assertions.assertThrows(UsageError.class,
                () -> new RoomCommands(kata.session(), kata.terminal("")).open(List.of("--port", String.valueOf(taken))));
        assertEquals("Port " + taken + " is taken on this machine: ./kata room --port " + (taken + 1), refused.getMessage());
    }
}

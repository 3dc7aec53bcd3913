package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kata.harness.Browser;
import kata.harness.Browsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's laptop sleeps, or the room is stopped and started again with {@code --save room.json}: the rows
 * come back, the pairs' code still works, and the open board's stream resumes by itself.
 */
class RoomRestartTest {
    final TestClock clock = new TestClock();

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @TempDir
    Path folder;

    private RoomServer.Options options(Path save, int port) {
        return RoomServer.Options.defaults().listeningOn("127.0.0.1", port).withChapters(RoomBoardTest.CHAPTERS)
                .withClock(clock).savedIn(save)
                .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofMillis(20));
    }

    @Test
    void aRoomRestartedWithSaveKeepsItsRowsAndTheBoardResumesByItself() throws Exception {
        Path save = folder.resolve("room.json");
        RoomServer first = RoomServer.open(options(save, 0));
        int port = first.port();
        String url = "http://localhost:" + port;
        FakeParticipant ada;
        FakeParticipant chen;
        Browser projector = browsers.open("Projector", url + "/");
        BoardPage board = new BoardPage(projector);
        try {
            ada = new FakeParticipant(folder, "Ada & Bob", url, first.code(), clock);
            chen = new FakeParticipant(folder, "Chen Wei", url, first.code(), clock);
            ada.ran("03-sse", 5, 17, "SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing", 1);
            chen.ran("04-websocket", 2, 16, "WebSocketChatTest.bobSeesAlicesMessage", 0);
            board.waitUntilItShows("shows both pairs", "Ada & Bob | ", "Chen Wei | ");
        } finally {
            first.close(); // Ctrl-C: the room is written to room.json one last time
        }
        assertTrue(Files.readString(save).contains("\"name\": \"Chen Wei\""), "the rows are saved");
        projector.waitUntil("the board notices that the room went away",
                () -> board.transport().startsWith("reconnecting"), board::transport);
        assertEquals(2, board.text().lines().count() - 2, "the board keeps showing the rows it has: " + board.text());

        try (RoomServer second = RoomServer.open(options(save, port))) {
            assertEquals(first.code(), second.code(), "the same code: the pairs' clones keep reporting");
            assertEquals(2, second.restoredRows());
            projector.waitUntil("the board's stream comes back by itself", () -> second.subscriberCount() == 1
                    && board.transport().equals("live · eventsource"), board::transport);

            ada.ran("03-sse", 9, 17, "SseChatTest.aMessageOfSeveralLinesArrivesWhole", 2);
            board.waitUntilItShows("shows Ada's run after the restart, without a reload", "03-sse 9/17",
                    "SseChatTest.aMessageOfSeveralLinesArrivesWhole", "Chen Wei | ");
            assertTrue(ada.problems.isEmpty() && chen.problems.isEmpty(), ada.problems + " " + chen.problems);

            BoardPage late = new BoardPage(browsers.open("Late laptop", url + "/"));
            late.waitUntilItShows("opened after the restart, shows every saved row", "Ada & Bob | ", "03-sse 9/17",
                    "Chen Wei | ", "04-websocket 2/16");
            assertEquals(board.text(), late.text());
        }
    }
}

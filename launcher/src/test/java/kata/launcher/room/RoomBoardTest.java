package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kata.harness.Browsers;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The board on the projector: every pair's row, live, in two browsers at once. */
class RoomBoardTest {
    static final List<String> CHAPTERS = List.of("01-polling", "02-longpoll", "03-sse", "04-websocket");

    final TestClock clock = new TestClock();

    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(CHAPTERS).withClock(clock)
            .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofMillis(20))),
            RoomServer::port);

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @TempDir
    Path folder;

    private FakeParticipant participant(String name) {
        return new FakeParticipant(folder, name, room.origin(), room.server().code(), clock);
    }

    @Test
    void theBoardShowsEveryPairAndChangesWhenOneRunsAgain() {
        BoardPage projector = new BoardPage(browsers.open("Projector", room.url("/")));
        BoardPage laptop = new BoardPage(browsers.open("Leader", room.url("/")));
        FakeParticipant ada = participant("Ada & Bob");
        FakeParticipant chen = participant("Chen Wei");
        FakeParticipant dee = participant("Dee");

        assertTrue(ada.ran("01-polling", 11, 11, null, 0).delivered(), ada.problems.toString());
        assertTrue(ada.ran("02-longpoll", 4, 11, "LongPollChatTest.bobSeesAlicesMessageWithoutAsking", 1).delivered());
        assertTrue(chen.ran("02-longpoll", 2, 11, "LongPollChatTest.bobSeesAlicesMessageWithoutAsking", 0).delivered());
        assertTrue(dee.ran("01-polling", 9, 11, "PollingApiTest.aTooLongTextIsRefused", 3).delivered());
        projector.waitUntilItShows("shows the three pairs", "Ada & Bob", "Chen Wei", "Dee | ");
        laptop.waitUntilItShows("shows the three pairs", "Ada & Bob", "Chen Wei", "Dee | ");
        projector.waitUntilItShows("names the test most pairs are red on",
                "Room: 2 of 3 are red on LongPollChatTest.bobSeesAlicesMessageWithoutAsking (02-longpoll)");

        clock.advance(Duration.ofMinutes(1));
        assertTrue(chen.ran("02-longpoll", 11, 11, null, 2).delivered(), "Chen runs again, all green");

        projector.waitUntilItShows("shows Chen's new run", "Chen Wei | [01-polling: not started, 02-longpoll: 11/11");
        laptop.waitUntilItShows("shows Chen's new run", "Chen Wei | [01-polling: not started, 02-longpoll: 11/11");
        assertEquals(projector.text(), laptop.text(), "both boards show the same");
        assertEquals("live · eventsource", projector.transport());
        Snapshot.verify(projector.text());
    }

    @Test
    void aPairOnTheSameRedTestForTenMinutesIsMarkedStuck() {
        BoardPage board = new BoardPage(browsers.open("Projector", room.url("/")));
        FakeParticipant ada = participant("Ada & Bob");
        ada.ran("03-sse", 5, 17, "SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing", 1);
        board.waitUntilItShows("shows Ada", "Ada & Bob | ");

        clock.advance(Duration.ofMinutes(6));
        ada.ran("03-sse", 6, 17, "SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing", 2);
        board.waitUntilItShows("shows the second run", "6/17");
        assertTrue(!board.text().contains("STUCK"), "six minutes are not ten: " + board.text());

        clock.advance(Duration.ofMinutes(4)); // ten minutes since that test first failed; no new run needed
        board.waitUntilItShows("marks Ada stuck since the test first failed", "STUCK since 09:00");

        ada.ran("03-sse", 7, 17, "SseChatTest.aMessageOfSeveralLinesArrivesWhole", 2);
        board.waitUntilItShows("shows the next test", "7/17");
        assertTrue(!board.text().contains("STUCK"), "a new red test is progress: " + board.text());
    }
}

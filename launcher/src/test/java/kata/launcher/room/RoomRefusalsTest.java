package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kata.harness.Browsers;
import kata.harness.Http;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The room on a conference network: a wrong code, a flood, an oversized report, garbage, a page of another
 * site, a room already full. Each gets a clear 4xx with a JSON reason, and the room keeps what it has.
 */
class RoomRefusalsTest {
    final TestClock clock = new TestClock();

    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(RoomBoardTest.CHAPTERS).withClock(clock)
            .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofMillis(20))
            .withLimits(3, 3, Duration.ofSeconds(20))), RoomServer::port);

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @TempDir
    Path folder;

    private String report(String code, String id, String name) {
        return "{\"code\":\"" + code + "\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"chapter\":\"03-sse\","
                + "\"green\":5,\"total\":17,\"failing\":\"SseChatTest.bobSeesAlicesMessageWithoutReloading\","
                + "\"hints\":1,\"at\":\"2026-11-28T09:00:00Z\"}";
    }

    private Http.Response post(String body, Map<String, String> headers) {
        return Http.send("POST", room.url("/report"), body, headers);
    }

    private Http.Response post(String body) {
        return post(body, Map.of("Content-Type", "application/json"));
    }

    @Test
    void everyRefusalIsAClearJsonAnswerAndTheRoomKeepsWhatItHas() {
        BoardPage board = new BoardPage(browsers.open("Projector", room.url("/")));
        FakeParticipant ada = new FakeParticipant(folder, "Ada & Bob", room.origin(), room.server().code(), clock);
        assertTrue(ada.ran("03-sse", 5, 17, "SseChatTest.bobSeesAlicesMessageWithoutReloading", 1).delivered());
        board.waitUntilItShows("shows Ada", "Ada & Bob | ");
        List<Participant.Row> before = room.server().rows();
        String code = room.server().code();
        String wrong = code.equals("AAAA") ? "CCCC" : "AAAA";

        List<String> transcript = new ArrayList<>();
        String[] shown = {"Content-Type", "Retry-After"};
        transcript.add(post(report(wrong, "mallory-0001", "Mallory")).transcript(shown));
        transcript.add(post("{\"code\": \"" + code + "\", nope").transcript(shown));
        transcript.add(post(report(code, "mallory-0001", "M".repeat(41))).transcript(shown));
        transcript.add(post(report(code, "mallory-0001", "Mallory").replace("}", ",\"source\":\"class Relay {…}\"}"))
                .transcript(shown));
        transcript.add(post(report(code, "mallory-0001", "Mallory") + " ".repeat(RoomServer.MAX_REPORT_BYTES))
                .transcript(shown));
        transcript.add(post(report(code, "mallory-0001", "Mallory"), Map.of("Content-Type", "text/plain")).transcript(shown));
        transcript.add(post(report(code, "mallory-0001", "Mallory"),
                Map.of("Content-Type", "application/json", "Origin", "http://evil.example")).transcript(shown));
        transcript.add(Http.send("GET", room.url("/board/events"), null, Map.of("Origin", "http://evil.example"))
                .transcript(shown));
        assertEquals(before, room.server().rows(), "nothing refused changes a row");

        // A flood from one participant with the right code: three at once, then one every 20 s.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(report(code, "flooder-0001", "Flood")).status());
        }
        transcript.add(post(report(code, "flooder-0001", "Flood")).transcript(shown));
        RoomReporter.Outcome adaFlooding = null;
        for (int i = 0; i < 3 && (adaFlooding == null || adaFlooding.delivered()); i++) {
            adaFlooding = ada.ran("03-sse", 6, 17, "SseChatTest.bobSeesAlicesMessageWithoutReloading", 1);
        }
        assertEquals(429, adaFlooding.status(), "Ada's fourth report within the same moment is refused too");
        assertTrue(ada.problems.get(0).contains("answered 429: too many reports"), ada.problems.toString());

        // The room takes three participants: Ada, Flood, and one more.
        assertEquals(200, post(report(code, "carol-00001", "Carol")).status());
        transcript.add(post(report(code, "dave-000001", "Dave")).transcript(shown));
        Snapshot.verify(String.join("\n\n", transcript));

        board.waitUntilItShows("shows the three who got in, and still Ada's row as it was",
                "Ada & Bob | ", "Carol | ", "Flood | ", "3 pairs");
        assertTrue(board.text().contains("03-sse 6/17"), "Ada's reports that got in: " + board.text());
        assertTrue(!board.text().contains("Mallory") && !board.text().contains("Dave"), board.text());

        clock.advance(Duration.ofSeconds(20)); // a token back: Ada's next run is on the board again
        assertTrue(ada.ran("03-sse", 9, 17, "SseChatTest.aMessageOfSeveralLinesArrivesWhole", 2).delivered());
        board.waitUntilItShows("shows Ada's next run, live as before", "03-sse 9/17");
    }
}

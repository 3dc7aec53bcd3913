package kata.realbrowser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import kata.harness.Served;
import kata.launcher.room.RoomConfig;
import kata.launcher.room.RoomReport;
import kata.launcher.room.RoomReporter;
import kata.launcher.room.RoomServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workshop board ({@code ./kata room}) in real Chromium, with the browser's own EventSource: two pairs report
 * through the launcher's real reporting code, the board shows them and changes live when one runs again, also
 * after its stream was cut (Chromium reconnects and resumes with Last-Event-ID).
 */
class RoomBoardInChromiumTest {
    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(List.of("01-polling", "02-longpoll", "03-sse"))
            .withTimings(java.time.Duration.ofSeconds(15), java.time.Duration.ofMillis(300),
                    java.time.Duration.ofSeconds(25), java.time.Duration.ofSeconds(5))), RoomServer::port);

    @TempDir
    Path folder;

    private RoomReporter pair(String name) throws Exception {
        Path clone = Files.createDirectories(folder.resolve(name.replaceAll("\\W", "")));
        RoomConfig.load(clone).joined(room.origin(), room.server().code(), name).save(clone);
        return new RoomReporter(RoomConfig.load(clone), problem -> { throw new AssertionError(problem); });
    }

    private static String board(Chromium chromium) {
        return String.join("\n", chromium.texts("#room, #rows tr"));
    }

    private static void waitFor(Chromium chromium, String... fragments) {
        chromium.waitUntil("the board should show " + List.of(fragments),
                () -> List.of(fragments).stream().allMatch(board(chromium)::contains), () -> board(chromium));
    }

    @Test
    void chromiumsBoardShowsEveryPairAndChangesLive() throws Exception {
        try (Chromium projector = new Chromium("Projector")) {
            projector.open(room.url("/"));
            RoomReporter ada = pair("Ada & Bob");
            RoomReporter chen = pair("Chen Wei");
            ada.send(new RoomReport("Ada & Bob", "03-sse", 5, 17, "SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing",
                    1, Instant.now())).join();
            chen.send(new RoomReport("Chen Wei", "03-sse", 3, 17, "SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing",
                    0, Instant.now())).join();
            waitFor(projector, "Ada & Bob", "03-sse 5/17", "Chen Wei", "03-sse 3/17",
                    "Room: 2 of 2 are red on SseChatTest.bobsBrowserReconnectsByItselfAndMissesNothing (03-sse)");
            assertTrue(projector.texts("#transport").get(0).equals("live · eventsource"), projector.texts("#transport").toString());

            chen.send(new RoomReport("Chen Wei", "03-sse", 9, 17, "SseChatTest.aMessageOfSeveralLinesArrivesWhole", 2,
                    Instant.now())).join();
            waitFor(projector, "03-sse 9/17", "SseChatTest.aMessageOfSeveralLinesArrivesWhole",
                    "Room: 1 of 2 is red on SseChatTest.aMessageOfSeveralLinesArrivesWhole (03-sse)");

            room.server().disconnectAll(); // the Wi-Fi blinks
            projector.waitUntil("Chromium's EventSource should reconnect by itself",
                    () -> room.server().subscriberCount() == 1 && projector.texts("#transport").get(0).equals("live · eventsource"),
                    () -> room.server().subscriberCount() + " streams, " + projector.texts("#transport"));
            ada.send(new RoomReport("Ada & Bob", "03-sse", 17, 17, null, 1, Instant.now())).join();
            waitFor(projector, "03-sse 17/17", "all green", "Chen Wei");
        }
    }
}

package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kata.harness.EventStreamReader;
import kata.harness.Served;
import kata.harness.Snapshot;
import kata.harness.sse.ServerSentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The board's stream on the wire: chapter 03's format, replay after Last-Event-ID, snapshots, heartbeats. */
class RoomWireTest {
    final TestClock clock = new TestClock();

    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(RoomBoardTest.CHAPTERS).withClock(clock).withHistory(3)
            .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofSeconds(5))),
            RoomServer::port);

    @TempDir
    Path folder;

    private FakeParticipant participant(String name) {
        return new FakeParticipant(folder, name, room.origin(), room.server().code(), clock);
    }

    /** The ids' random prefix, written as GEN so that the snapshot changes only when behaviour does. */
    private static String scrubbed(String text, String someId) {
        return text.replace(someId.substring(0, someId.lastIndexOf('-')), "GEN");
    }

    @Test
    void aStreamStartsWithHelloAndASnapshotThenCarriesEachRowLive() {
        participant("Ada & Bob").ran("03-sse", 5, 17, "SseChatTest.bobSeesAlicesMessageWithoutReloading", 1);
        try (EventStreamReader stream = EventStreamReader.open(room.url("/board/events"))) {
            assertEquals(200, stream.status());
            assertEquals("no-cache", stream.header("Cache-Control").orElse(""));
            List<ServerSentEvent> first = stream.awaitEvents(2);
            participant("Chen Wei").ran("02-longpoll", 11, 11, null, 0);
            stream.awaitEvents(3);
            // (the stream ends each event with a blank line; the snapshot file ends with the last event's data line)
            Snapshot.verify(scrubbed(stream.rawText(), first.get(1).lastEventId()).stripTrailing());
        }
    }

    @Test
    void aReconnectionGetsExactlyTheRowsAfterItsLastEventIdThenGoesLive() {
        FakeParticipant ada = participant("Ada & Bob");
        ada.ran("01-polling", 3, 11, "PollingChatTest.bobSeesAlicesMessage", 0);
        String afterFirst;
        try (EventStreamReader stream = EventStreamReader.open(room.url("/board/events"))) {
            afterFirst = stream.awaitEvents(2).get(1).lastEventId(); // hello, snapshot: the id of event 1
        }
        ada.ran("01-polling", 4, 11, "PollingChatTest.bobSeesAlicesMessage", 0);
        ada.ran("01-polling", 5, 11, "PollingChatTest.bobSeesAlicesMessage", 0);
        String generation = afterFirst.substring(0, afterFirst.lastIndexOf('-'));
        try (EventStreamReader stream = EventStreamReader.open(room.url("/board/events"),
                Map.of("Last-Event-ID", afterFirst))) {
            List<ServerSentEvent> replay = stream.awaitEvents(3);
            assertEquals(List.of("hello", "row", "row"), replay.stream().map(ServerSentEvent::type).toList());
            assertEquals(List.of(generation + "-2", generation + "-3"), List.of(replay.get(1).lastEventId(),
                    replay.get(2).lastEventId()));
            assertTrue(replay.get(1).data().contains("\"green\":4") && replay.get(2).data().contains("\"green\":5"));
            ada.ran("01-polling", 6, 11, "PollingChatTest.bobSeesAlicesMessage", 0);
            ServerSentEvent live = stream.awaitEvents(4).get(3);
            assertEquals(generation + "-4", live.lastEventId());
            assertEquals(4, stream.events().size(), "each event once");
        }
    }

    @Test
    void anIdTooOldForTheHistoryOrNotOursGetsASnapshotOfEveryRow() {
        FakeParticipant ada = participant("Ada & Bob");
        for (int green = 1; green <= 5; green++) { // five events; the history keeps three
            ada.ran("01-polling", green, 11, "PollingChatTest.bobSeesAlicesMessage", 0);
        }
        String generation;
        try (EventStreamReader stream = EventStreamReader.open(room.url("/board/events"))) {
            String id = stream.awaitEvents(2).get(1).lastEventId();
            generation = id.substring(0, id.lastIndexOf('-'));
        }
        for (String lastEventId : List.of(generation + "-1", "banana", "otherroom-4", generation + "-99")) {
            try (EventStreamReader stream = EventStreamReader.open(room.url("/board/events"),
                    Map.of("Last-Event-ID", lastEventId))) {
                List<ServerSentEvent> events = stream.awaitEvents(2);
                assertEquals("snapshot", events.get(1).type(), "Last-Event-ID " + lastEventId);
                assertEquals(generation + "-5", events.get(1).lastEventId());
                assertTrue(events.get(1).data().contains("\"green\":5"), events.get(1).data());
            }
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() {
        try (RoomServer quick = RoomServer.open(RoomServer.Options.defaults().withTimings(Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofSeconds(5)));
                EventStreamReader stream = EventStreamReader.open("http://localhost:" + quick.port() + "/board/events")) {
            stream.awaitText(": ping\n\n: ping\n\n");
            assertEquals(2, stream.events().size(), "hello and the snapshot, and no event for a ping");
        }
    }
}

package kata.scaleout;

import static kata.scaleout.ScaleOutApiTest.assertStatus;
import static kata.scaleout.ScaleOutApiTest.post;
import static kata.scaleout.ScaleOutApiTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kata.harness.Eventually;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A bounded stream forgets: a client whose cursor fell off the end is told to reload, not given a gap. */
class TooOldTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes().keeping(10);

    @Test
    @Lesson("§6 A bounded stream: too old, reload")
    void aCursorThatFellOffTheBoundedStreamIsToldToReload() {
        // The nodes here keep about 10 messages (MAXLEN ~ 10), and Redis trims whole blocks of 10 entries at a time.
        String oldest = post(nodes.a("/messages"), "Alice", "m1");
        String recent = oldest;
        for (int i = 2; i <= 40; i++) {
            recent = post(nodes.a("/messages"), "Alice", "m" + i);
        }
        post(nodes.a("/messages"), "Alice", "m41");

        Response gone = Http.get(nodes.b("/messages?since=" + oldest));
        assertStatus(410, gone, "A cursor whose next messages were trimmed from the stream cannot resume: 410 Gone, reload");
        assertTrue(gone.body().contains("reload"), "the 410 should say why, and what to do (reload), for the page to show: "
                + gone.describe());
        Response fine = Http.get(nodes.b("/messages?since=" + recent));
        assertStatus(200, fine, "A recent cursor still resumes");
        assertEquals(List.of("Alice: m41"), texts(fine), "since=<id of m40> should bring exactly m41");
        try (EventStream stream = EventStream.open(nodes.b("/events?since=" + oldest))) {
            Eventually.until("An event stream from a trimmed cursor should get one \"reload\" event",
                    () -> stream.events().stream().anyMatch(e -> e.type().equals("reload")), stream::describe);
            assertEquals(List.of(), stream.data(), "No message events before the reload: " + stream.describe());
            assertTrue(stream.events().stream().filter(e -> e.type().equals("reload")).allMatch(e -> e.data().contains("reload")),
                    "the reload event's data should say why, for the page to show: " + stream.describe());
            Eventually.until("after the reload event the node should end the stream (the page starts over from since=0)",
                    stream::ended, stream::describe);
        }
    }

    @Test
    @Lesson("§6 A bounded stream: too old, reload")
    void aStreamTrimmedToNothingSendsOnlyTheClientsThatMissedMessagesToReload() {
        String first = post(nodes.a("/messages"), "Alice", "m1");
        String last = post(nodes.a("/messages"), "Alice", "m2");
        assertEquals(":2", nodes.redis().command("XTRIM " + Broker.STREAM + " MAXLEN 0"),
                "the test could not empty the stream (XTRIM chat:messages MAXLEN 0)");

        Response behind = Http.get(nodes.b("/messages?since=" + first));
        assertStatus(410, behind, "m2 came after this cursor and was trimmed away with everything else: the stream is "
                + "empty, but its last-generated-id (XINFO STREAM) is after the cursor, so the client must reload");
        try (EventStream upToDate = EventStream.open(nodes.b("/events?since=" + last))) {
            Eventually.until("GET /events from the id of m2 should open a stream", () -> upToDate.status() != 0
                    || upToDate.ended(), upToDate::describe);
            assertEquals(200, upToDate.status(), upToDate.describe());
            post(nodes.a("/messages"), "Alice", "m3");
            Eventually.until("a client that had seen m2, the last message, lost nothing when the stream was emptied: "
                    + "it should get m3", () -> !upToDate.events().isEmpty() || upToDate.ended(), upToDate::describe);
            assertEquals(List.of("message"), upToDate.events().stream().map(e -> e.type()).toList(), "no reload for a "
                    + "client that saw the last message before the stream was emptied: " + upToDate.describe());
            assertTrue(upToDate.data().get(0).contains("\"m3\""), upToDate.describe());
        }
    }
}

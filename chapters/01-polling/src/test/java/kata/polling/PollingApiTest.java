package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's API on the wire: the cursor, cheap empty polls, and clear errors for bad input. */
class PollingApiTest {
    @RegisterExtension
    final Served<PollingServer> app = Served.by(() -> PollingServer.start(0), PollingServer::port);

    private Response post(String json) {
        return Http.postJson(app.url("/messages"), json);
    }

    private Response messagesSince(long id) {
        return Http.get(app.url("/messages?since=" + id));
    }

    private void assertStatus(int expected, Response response, String why) {
        assertEquals(expected, response.status(), why + " — but " + response.describe());
    }

    private void assertNothingStored() {
        Response all = messagesSince(0);
        assertStatus(200, all, "GET /messages?since=0 should list the stored messages");
        assertEquals("[]", all.body(), "A refused message must not be stored");
    }

    @Test
    @Lesson("§2 Sending and receiving")
    void theMessageLogOnTheWire() {
        assertStatus(200, post("{\"author\":\"Alice\",\"text\":\"Hi Bob\"}"), "POST /messages should store a message");
        assertStatus(200, post("{\"author\":\"Bob\",\"text\":\"Hi Alice <3\"}"), "POST /messages should store a message");

        Response all = messagesSince(0);

        assertStatus(200, all, "GET /messages?since=0 should list every message");
        Snapshot.verify(all.transcript("Content-Type", "Cache-Control"));
    }

    @Test
    @Lesson("§2 Sending and receiving")
    void aPostIsAnsweredWithTheMessageAsStoredWithItsId() {
        assertStatus(200, post("{\"author\":\"Alice\",\"text\":\"one\"}"), "POST /messages should store a message");

        Response second = post("{\"author\":\"Bob\",\"text\":\"two\"}");

        assertStatus(200, second, "POST /messages should store a message");
        assertEquals("{\"id\":2,\"author\":\"Bob\",\"text\":\"two\"}", second.body(), "POST /messages should answer "
                + "with the message as stored, its id included (the second message gets id 2)");
    }

    @Test
    @Lesson("§3 The since cursor")
    void aPollReturnsOnlyWhatIsNewerThanItsCursor() {
        post("{\"author\":\"Alice\",\"text\":\"one\"}");
        Response first = messagesSince(0);
        assertStatus(200, first, "GET /messages?since=0 should list every message");
        assertTrue(first.body().contains("\"one\""), "since=0 should return the first message: " + first.describe());

        // Sent while Bob's page is between two polls: the cursor must still bring them.
        post("{\"author\":\"Alice\",\"text\":\"two\"}");
        post("{\"author\":\"Alice\",\"text\":\"three\"}");

        Response next = messagesSince(1);
        assertStatus(200, next, "GET /messages?since=1 should answer");
        assertEquals("[{\"id\":2,\"author\":\"Alice\",\"text\":\"two\"},{\"id\":3,\"author\":\"Alice\",\"text\":\"three\"}]",
                next.body(), "since=1 should return exactly the messages with id 2 and 3, oldest first");
    }

    @Test
    @Lesson("§4 What polling costs")
    void anEmptyPollIsAnsweredAtOnceWithAnEmptyList() {
        post("{\"author\":\"Alice\",\"text\":\"one\"}");

        Response empty = messagesSince(1);

        assertStatus(200, empty, "A poll with nothing new should still be answered");
        assertEquals("[]", empty.body(), "Nothing is newer than id 1: the answer should be the empty list []");
        assertTrue(empty.contentType().startsWith("application/json"),
                "The answer is JSON: Content-Type should be application/json, was " + empty.contentType());
        assertEquals("no-store", empty.header("Cache-Control").orElse("(absent)"),
                "A poll's answer must not be cached, or the next poll sees stale news: Cache-Control: no-store");
    }

    @Test
    @Lesson("§6 Bad input")
    void malformedJsonIsRefusedWith400AndNothingIsStored() {
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":"), "Malformed JSON should be refused with 400");
        assertStatus(400, post("{author: Alice, text: hi}"), "JSON with unquoted names is malformed: 400");
        assertStatus(400, post("[\"Alice\",\"hi\"]"), "A JSON array is not a message: 400");
        assertNothingStored();
    }

    @Test
    @Lesson("§6 Bad input")
    void missingOrEmptyTextIsRefusedWith400() {
        assertStatus(400, post("{\"author\":\"Alice\"}"), "A message without \"text\" should be refused with 400");
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":\"   \"}"), "A blank \"text\" should be refused with 400");
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":42}"), "\"text\" must be a string: 400");
        assertStatus(400, post("{\"text\":\"hi\"}"), "A message without \"author\" should be refused with 400");
        assertNothingStored();
    }

    @Test
    @Lesson("§6 Bad input")
    void textOverTheLimitIsRefusedWith413() {
        String longest = "x".repeat(500);
        assertStatus(413, post("{\"author\":\"Alice\",\"text\":\"" + longest + "y\"}"),
                "501 characters is over the 500-character limit: 413 Payload Too Large");
        assertNothingStored();
        assertStatus(200, post("{\"author\":\"Alice\",\"text\":\"" + longest + "\"}"),
                "Exactly 500 characters is within the limit and should be stored");
    }

    @Test
    @Lesson("§6 Bad input")
    void aCursorThatIsNotAWholeNumberIsRefusedWith400() {
        assertStatus(400, Http.get(app.url("/messages?since=abc")), "since=abc is not a number: 400");
        assertStatus(400, Http.get(app.url("/messages?since=-1")), "since=-1 is negative: 400");
        for (String since : List.of("1e3", "", "1.5", "99999999999999999999")) {
            assertStatus(400, Http.get(app.url("/messages?since=" + since)), "since=" + since + " is not a whole number from 0 up: 400");
        }
    }

    @Test
    @Lesson("§6 Bad input")
    void anUnknownRouteGets404AndAWrongMethodGets405() {
        Response unknown = Http.get(app.url("/nope"));
        assertStatus(404, unknown, "An unknown route should answer 404 Not Found");
        Response wrongMethod = Http.send("DELETE", app.url("/messages"), null, java.util.Map.of());
        assertStatus(405, wrongMethod, "DELETE /messages is a known route with the wrong method: 405 Method Not Allowed");
        assertTrue(!unknown.body().isBlank() && !wrongMethod.body().isBlank(), "Every refusal should say why, in its "
                + "body, as kata.chat.Answer's errors do — but " + (unknown.body().isBlank() ? unknown : wrongMethod).describe()
                + " with an empty body");
        assertNothingStored();
    }
}

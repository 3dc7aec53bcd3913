package kata.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input on the way in: a clear status and a reason, and nothing published. */
@Lesson("§8 Bad input")
class SseApiTest {
    @RegisterExtension
    final Served<SseServer> app = Served.by(() -> SseServer.start(0), SseServer::port);

    private Response post(String json) {
        return Http.postJson(app.url("/messages"), json);
    }

    private static void assertStatus(int expected, Response response, String why) {
        assertEquals(expected, response.status(), why + " — but " + response.describe());
    }

    /** A refused message takes no id: the next good one is still number 1. */
    private void assertNothingPublished() {
        Response good = post("{\"author\":\"Alice\",\"text\":\"the first real message\"}");
        assertStatus(200, good, "A good message should be published");
        assertEquals("{\"id\":1,\"author\":\"Alice\",\"text\":\"the first real message\"}", good.body(),
                "The first good message should get id 1: a refused message must not be published, not even take an id");
    }

    @Test
    void malformedJsonIsRefusedWith400AndNothingIsPublished() {
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":"), "Malformed JSON should be refused with 400");
        assertStatus(400, post("{author: Alice, text: hi}"), "JSON with unquoted names is malformed: 400");
        assertStatus(400, post("[\"Alice\",\"hi\"]"), "A JSON array is not a message: 400");
        assertNothingPublished();
    }

    @Test
    void missingOrEmptyTextIsRefusedWith400() {
        assertStatus(400, post("{\"author\":\"Alice\"}"), "A message without \"text\" should be refused with 400");
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":\"  \\n \"}"), "A blank \"text\" (line breaks too) should be refused with 400");
        assertStatus(400, post("{\"author\":\"Alice\",\"text\":42}"), "\"text\" must be a string: 400");
        assertStatus(400, post("{\"text\":\"hi\"}"), "A message without \"author\" should be refused with 400");
        assertNothingPublished();
    }

    @Test
    void textOverTheLimitIsRefusedWith413() {
        String longest = "x".repeat(500);
        assertStatus(413, post("{\"author\":\"Alice\",\"text\":\"" + longest + "y\"}"),
                "501 characters is over the 500-character limit: 413 Payload Too Large");
        assertStatus(415, Http.send("POST", app.url("/messages"), "{\"author\":\"Alice\",\"text\":\"hi\"}",
                Map.of("Content-Type", "text/plain")), "A body not declared as application/json: 415");
        assertNothingPublished();
    }

    @Test
    void aNameTooLongForTheStreamIsRefusedWith400() {
        assertStatus(400, Http.get(app.url("/events?name=" + "n".repeat(41))),
                "GET /events?name= with 41 characters is over the 40-character limit of a name: 400, and no stream");
        assertEquals(0, app.server().subscriberCount(), "A refused stream must not count as a subscriber");
    }

    @Test
    void anUnknownRouteGets404AndAWrongMethodGets405() {
        assertStatus(404, Http.get(app.url("/nope")), "An unknown route should answer 404 Not Found");
        assertStatus(405, Http.send("DELETE", app.url("/messages"), null, Map.of()),
                "DELETE /messages is a known route with the wrong method: 405 Method Not Allowed");
        assertStatus(405, Http.send("POST", app.url("/events"), "{}", Map.of("Content-Type", "application/json")),
                "POST /events: the stream is read with GET, messages are sent to /messages: 405");
        assertNothingPublished();
    }
}

package kata.jsonp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kata.chat.NewMessage;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSONP endpoint on the wire: the script it answers, its headers, and what it refuses. */
class JsonpApiTest {
    @RegisterExtension
    final Served<ChatApi> api = Served.by(() -> ChatApi.start(0), ChatApi::port).reachedAs("127.0.0.1");

    private void post(String author, String text) {
        api.server().post(new NewMessage(author, text));
    }

    private Response jsonp(String callback, long since) {
        return Http.get(api.url("/jsonp?cb=" + URLEncoder.encode(callback, StandardCharsets.UTF_8) + "&since=" + since));
    }

    private static void assertStatus(int expected, Response response, String why) {
        assertEquals(expected, response.status(), why + " — but " + response.describe());
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void theJsonpAnswerOnTheWire() {
        post("Alice", "Hi Bob");
        post("Bob", "Hi Alice <3");

        Response answer = jsonp("chat.receive", 0);

        assertStatus(200, answer, "GET /jsonp?cb=chat.receive&since=0 should answer with a script");
        Snapshot.verify(answer.transcript("Content-Type", "X-Content-Type-Options", "Cache-Control"));
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void theCursorBringsOnlyWhatIsNewer() {
        post("Alice", "one");
        post("Alice", "two");
        post("Alice", "three");

        Response answer = jsonp("cb_12", 1);

        assertStatus(200, answer, "GET /jsonp?cb=cb_12&since=1 should answer with a script");
        assertEquals("/**/cb_12([{\"id\":2,\"author\":\"Alice\",\"text\":\"two\"},{\"id\":3,\"author\":\"Alice\",\"text\":\"three\"}]);",
                answer.body(), "since=1 should call cb_12 with exactly the messages with id 2 and 3, oldest first");
        assertEquals("/**/cb_12([]);", jsonp("cb_12", 3).body(), "Nothing is newer than id 3: the call gets the empty list");
    }

    @Test
    @Lesson("§3 Checking the callback name")
    void aMaliciousCallbackNameIsRefusedWith400AndNoScript() {
        List<String> refused = List.of("alert(1)//", "<script>", "", "x".repeat(Jsonp.MAX_CALLBACK + 1),
                "chat.receive;alert(1)", "a b", "1abc", "chat..receive", "chat.", "\u00e9t\u00e9", "a\nb",
                "chatJsonp[0]", "chat['receive']", "a-b");
        for (String name : refused) {
            Response answer = jsonp(name, 0);
            String shown = name.length() > 20 ? name.length() + " x's" : "\"" + name + "\"";
            assertStatus(400, answer, "The callback name " + shown + " is not a JavaScript name or path: 400 Bad Request");
            assertFalse(answer.contentType().contains("javascript"),
                    "A refusal is no script: Content-Type should not be JavaScript, was " + answer.contentType());
            assertEquals("nosniff", answer.header("X-Content-Type-Options").orElse("(absent)"),
                    "Even a refusal says X-Content-Type-Options: nosniff, so no browser runs it as a script");
            assertFalse(name.matches(".*[(<;].*") && answer.body().contains(name),
                    "The refusal of " + shown + " repeats the name: never echo what you refused");
        }
        assertStatus(400, Http.get(api.url("/jsonp?since=0")), "Without ?cb= there is nothing to call: 400");
    }

    @Test
    @Lesson("§3 Checking the callback name")
    void identifierPathsOfBoundedLengthAreAccepted() {
        post("Alice", "hi");
        for (String name : List.of("chat.receive", "cb_12", "$", "_jsonp.r1", "jQuery3510_17", "a".repeat(Jsonp.MAX_CALLBACK))) {
            Response answer = jsonp(name, 0);
            assertStatus(200, answer, "The callback name \"" + name + "\" is a fine JavaScript name: it should be called");
            assertTrue(answer.body().startsWith("/**/" + name + "("),
                    "The answer should be /**/" + name + "(...); — was " + answer.body());
        }
    }

    @Test
    @Lesson("§4 Escaping: the data must not break out")
    void textThatCouldBreakOutOfTheCallIsEscapedAndArrivesIntact() {
        String text = "</script><script>alert(1)</script>\u2028\u2029<!-- & \"'\\ done";
        post("Alice", text);

        Response answer = jsonp("chat.receive", 0);

        assertStatus(200, answer, "GET /jsonp should answer with a script");
        String body = answer.body();
        for (String raw : List.of("<", ">", "&", "\u2028", "\u2029")) {
            assertFalse(body.contains(raw), "The script contains a raw " + describe(raw)
                    + ": inside <script> or an older JavaScript engine it can end the string or the script."
                    + " Escape it as \\u" + String.format("%04x", (int) raw.charAt(0)) + ". Body: " + body);
        }
        assertTrue(body.startsWith("/**/chat.receive(") && body.endsWith(");"),
                "The answer should be /**/chat.receive(...); — was " + body);
        String json = body.substring("/**/chat.receive(".length(), body.length() - 2);
        JsonArray messages = JsonParser.parseString(json).getAsJsonArray();
        assertEquals(text, messages.get(0).getAsJsonObject().get("text").getAsString(),
                "Escaped is not changed: the text should arrive exactly as Alice wrote it");
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void aCursorThatIsNotAWholeNumberIsRefusedWith400() {
        Response abc = Http.get(api.url("/jsonp?cb=cb&since=abc"));
        assertStatus(400, abc, "since=abc is not a number: 400");
        assertFalse(abc.contentType().contains("javascript"),
                "A refusal is no script: Content-Type should not be JavaScript, was " + abc.contentType());
        assertEquals("nosniff", abc.header("X-Content-Type-Options").orElse("(absent)"),
                "The 400 for a bad cursor should say X-Content-Type-Options: nosniff too: put it on every answer of"
                        + " GET /jsonp, errors included, so no browser ever runs an error as a script");
        assertStatus(400, Http.get(api.url("/jsonp?cb=cb&since=-1")), "since=-1 is negative: 400");
        assertStatus(404, Http.get(api.url("/nope")), "An unknown route should answer 404 Not Found");
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void aLongHistoryComesInBatchesOldestFirst() {
        int history = ChatApi.BATCH + ChatApi.BATCH / 2;
        for (int i = 1; i <= history; i++) {
            post("Alice", "message " + i);
        }

        JsonArray first = calledWith("cb", jsonp("cb", 0));
        assertEquals(ChatApi.BATCH, first.size(), "since=0 with " + history + " messages stored should call back with the"
                + " oldest " + ChatApi.BATCH + " (ChatApi.BATCH): one answer stays bounded, a page far behind asks again");
        assertEquals(1, first.get(0).getAsJsonObject().get("id").getAsLong(), "The first batch starts with the oldest message");
        long last = first.get(first.size() - 1).getAsJsonObject().get("id").getAsLong();
        JsonArray rest = calledWith("cb", jsonp("cb", last));
        assertEquals(history - ChatApi.BATCH, rest.size(), "since=" + last + " should call back with the remaining "
                + (history - ChatApi.BATCH) + " messages");
        assertEquals(last + 1, rest.get(0).getAsJsonObject().get("id").getAsLong(), "The next batch starts right after the cursor");
    }

    /** The data a JSONP answer passes to {@code callback}, checked to be the call and nothing else. */
    private static JsonArray calledWith(String callback, Response answer) {
        assertStatus(200, answer, "GET /jsonp should answer with a script");
        String body = answer.body();
        String start = "/**/" + callback + "(";
        assertTrue(body.startsWith(start) && body.endsWith(");"), "The answer should be " + start + "...); — was "
                + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
        return JsonParser.parseString(body.substring(start.length(), body.length() - 2)).getAsJsonArray();
    }

    private static String describe(String raw) {
        return switch (raw) {
            case "\u2028" -> "U+2028 LINE SEPARATOR";
            case "\u2029" -> "U+2029 PARAGRAPH SEPARATOR";
            default -> "'" + raw + "'";
        };
    }
}

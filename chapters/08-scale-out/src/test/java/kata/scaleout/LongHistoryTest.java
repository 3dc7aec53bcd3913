package kata.scaleout;

import static kata.scaleout.ScaleOutApiTest.assertStatus;
import static kata.scaleout.ScaleOutApiTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import kata.harness.Eventually;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conversation longer than one answer: the stream already holds many messages — written in one burst, all in
 * the same millisecond, as in a busy room — and clients arrive with cursors near and far.
 */
class LongHistoryTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes();

    /**
     * Writes m1…mN straight into the stream in one Lua script, all in the current millisecond, as a busy room
     * does: {@code <ms>-0 … <ms>-(N-1)}, the sequence counting up. Returns the id of each, in order.
     */
    List<String> burst(int n) {
        String reply = nodes.redis().command("EVAL \"local t = redis.call('TIME'); "
                + "local ms = t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)); "
                + "for i = 1, " + n + " do redis.call('XADD', '" + Broker.STREAM + "', ms .. '-' .. (i - 1), "
                + "'author', 'Alice', 'text', 'm' .. i) end; return {ok = ms .. '-0'}\" 0");
        assertTrue(reply != null && reply.matches("\\+\\d+-0"), "the test could not write into Redis: " + reply);
        StreamId first = StreamId.parse(reply.substring(1));
        return IntStream.range(0, n).mapToObj(i -> new StreamId(first.millis(), i).toString()).toList();
    }

    static List<String> messages(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "Alice: m" + i).toList();
    }

    static List<String> streamTexts(EventStream stream) {
        return stream.data().stream().map(d -> JsonParser.parseString(d).getAsJsonObject())
                .map(o -> o.get("author").getAsString() + ": " + o.get("text").getAsString()).toList();
    }

    @Test
    @Lesson("§2 One stream, every node")
    void aPageThatHasSeenNothingGetsTheNewestHundredOldestFirst() {
        burst(150);

        Response poll = Http.get(nodes.b("/messages?since=0"));
        assertStatus(200, poll, "GET /messages?since=0 should answer at once with the newest messages");
        assertEquals(messages(51, 150), texts(poll), "since=0 means \"I have seen nothing\": the newest 100 of the 150 "
                + "messages (m51 to m150), oldest first — not the oldest 100, not newest first");
        try (EventStream stream = EventStream.open(nodes.a("/events?since=0"))) {
            Eventually.until("GET /events?since=0 should replay the newest 100 messages",
                    () -> stream.data().size() >= 100 || stream.ended(), stream::describe);
            assertEquals(messages(51, 150), streamTexts(stream), "the event stream from since=0 should start with the newest 100, "
                    + "oldest first");
        }
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void aClientFarBehindGetsEverythingItMissedOnceInTheStreamsOrder() {
        List<String> ids = burst(150); // one millisecond: <ms>-0 … <ms>-149, and <ms>-10 comes after <ms>-9

        List<String> polled = new ArrayList<>();
        String cursor = ids.get(4); // the page has seen m1 … m5
        for (int page = 0; page < 3 && polled.size() < 145; page++) {
            Response answer = Http.get(nodes.b("/messages?since=" + cursor));
            assertStatus(200, answer, "GET /messages?since=" + cursor + " should answer with what came after it");
            JsonArray got = JsonParser.parseString(answer.body()).getAsJsonArray();
            assertTrue(got.size() > 0, "a poll with news waiting must answer at once with it: " + answer.describe());
            polled.addAll(texts(answer));
            cursor = got.get(got.size() - 1).getAsJsonObject().get("id").getAsString();
        }
        assertEquals(messages(6, 150), polled, "long polling from the id of m5, page after page (at most 100 each), "
                + "should bring m6 to m150, each once, in the stream's order: ids of one millisecond are ordered by "
                + "their sequence as a number (…-9 before …-10), not as text");

        try (EventStream stream = EventStream.open(nodes.a("/events?since=" + ids.get(4)))) {
            Eventually.until("an event stream from the id of m5 should replay the 145 messages after it",
                    () -> stream.data().size() >= 145 || stream.ended(), stream::describe);
            assertEquals(messages(6, 150), streamTexts(stream), "an event stream from the id of m5 should replay everything after "
                    + "it (it is within the replay limit), each once, in the stream's order");
        }
    }

    @Test
    @Lesson("§6 A bounded stream: too old, reload")
    void anEventStreamFurtherBehindThanItsReplayLimitIsToldToReload() {
        List<String> ids = burst(ChatNode.REPLAY_LIMIT + 100); // all still in the stream: nothing was trimmed

        try (EventStream far = EventStream.open(nodes.b("/events?since=" + ids.get(0)))) {
            Eventually.until("an event stream " + (ids.size() - 1) + " messages behind (more than the "
                            + ChatNode.REPLAY_LIMIT + " a stream replays) should get one \"reload\" event",
                    () -> far.events().stream().anyMatch(e -> e.type().equals("reload")) || far.ended(), far::describe);
            assertTrue(far.events().stream().anyMatch(e -> e.type().equals("reload")),
                    "expected a \"reload\" event: " + far.describe());
            assertEquals(List.of(), far.data(), "no message events before the reload — a replay cut at the limit hides a "
                    + "gap: " + far.describe());
        }
        int behind = ChatNode.REPLAY_LIMIT; // exactly the limit: still replayed
        String near = ids.get(ids.size() - 1 - behind);
        try (EventStream close = EventStream.open(nodes.b("/events?since=" + near))) {
            Eventually.until("an event stream " + behind + " messages behind should replay them all",
                    () -> close.data().size() >= behind || close.ended(), close::describe);
            assertEquals(behind, close.data().size(), "within the replay limit, everything is replayed: " + close.describe());
        }
    }
}

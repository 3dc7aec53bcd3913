package kata.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kata.harness.Eventually;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The nodes on the wire: stream ids, a shared stream, no duplicates, "too old", bad input. */
class ScaleOutApiTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes();

    static String message(String author, String text) {
        return "{\"author\":\"" + author + "\",\"text\":\"" + text + "\"}";
    }

    static void assertStatus(int expected, Response response, String why) {
        assertEquals(expected, response.status(), why + " — but " + response.describe());
    }

    /** Posts and returns the stream id the node answered with. */
    static String post(String url, String author, String text) {
        Response posted = Http.postJson(url, message(author, text));
        assertStatus(200, posted, "POST /messages should store the message in Redis and answer it with its stream id");
        JsonObject stored = JsonParser.parseString(posted.body()).getAsJsonObject();
        assertTrue(stored.has("id") && stored.get("id").getAsString().matches("\\d+-\\d+"),
                "The answer's \"id\" should be the Redis stream id XADD returned, like \"1718000000000-0\": " + posted.describe());
        return stored.get("id").getAsString();
    }

    static List<String> ids(Response answer) {
        List<String> ids = new ArrayList<>();
        for (var element : JsonParser.parseString(answer.body()).getAsJsonArray()) {
            ids.add(element.getAsJsonObject().get("id").getAsString());
        }
        return ids;
    }

    static List<String> texts(Response answer) {
        List<String> texts = new ArrayList<>();
        for (var element : JsonParser.parseString(answer.body()).getAsJsonArray()) {
            texts.add(element.getAsJsonObject().get("author").getAsString() + ": " + element.getAsJsonObject().get("text").getAsString());
        }
        return texts;
    }

    @Test
    @Lesson("§3 Writing and reading the stream")
    void theStreamOnTheWire() {
        String hi = post(nodes.a("/messages"), "Alice", "Hi Bob");
        String back = post(nodes.b("/messages"), "Bob", "Hi Alice <3");

        Response poll = Http.get(nodes.b("/messages?since=0"));
        assertStatus(200, poll, "GET /messages?since=0 on node B should list what was posted on both nodes");
        assertEquals(List.of(hi, back), ids(poll), "the id a POST answers with should be the id Redis gave the message "
                + "(XADD's reply), the same that every node reads from the stream: " + poll.describe());
        try (EventStream stream = EventStream.open(nodes.a("/events?since=0"))) {
            Eventually.until("GET /events?since=0 on node A should replay both messages as events",
                    () -> stream.events().size() >= 2, stream::describe);
            String events = String.join("\n", stream.lines());
            Snapshot.verify(scrubIds(poll.transcript("Content-Type", "Cache-Control")
                    + "\n\n> GET /events?since=0\n< " + stream.status() + "\n< Content-Type: " + stream.header("Content-Type")
                    + "\n\n" + events));
        }
    }

    /** Stream ids are times: the snapshot numbers them in order of appearance instead. */
    static String scrubIds(String text) {
        Map<String, String> names = new LinkedHashMap<>();
        var matcher = java.util.regex.Pattern.compile("\\b\\d{13}-\\d+\\b").matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = names.computeIfAbsent(matcher.group(), id -> "[stream id " + (names.size() + 1) + "]");
            matcher.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(name));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Test
    @Lesson("§2 One stream, every node")
    void theConversationLivesInRedisNotInANode() {
        post(nodes.a("/messages"), "Alice", "remember me");
        nodes.stopA();

        Response fromB = Http.get(nodes.b("/messages?since=0"));

        assertStatus(200, fromB, "Node B should answer GET /messages?since=0");
        assertEquals(List.of("Alice: remember me"), texts(fromB),
                "A message posted on node A must be readable on node B even after A is gone: it lives in the Redis stream");
    }

    @Test
    @Lesson("§3 Writing and reading the stream")
    void aMessagePostedOnNodeAReachesAnOpenStreamAndAHeldPollOnNodeB() {
        String first = post(nodes.a("/messages"), "Alice", "one");
        try (EventStream stream = EventStream.open(nodes.b("/events?since=" + first))) {
            Eventually.until("GET /events on node B should open a stream (200, text/event-stream)",
                    () -> stream.status() != 0 || stream.ended(), stream::describe);
            assertEquals(200, stream.status(), "GET /events on node B should open a stream: " + stream.describe());
            CompletableFuture<Response> held = CompletableFuture.supplyAsync(() -> Http.get(nodes.b("/messages?since=" + first)));

            post(nodes.a("/messages"), "Alice", "two");

            Eventually.until("Node B's open stream should deliver the message posted on node A",
                    () -> stream.data().size() >= 1, stream::describe);
            assertEquals(1, stream.data().size(), "Exactly one event: " + stream.describe());
            assertTrue(stream.data().get(0).contains("\"two\""), "The event should be Alice's \"two\": " + stream.describe());
            Response poll = held.join();
            assertStatus(200, poll, "The held poll on node B should be answered");
            assertEquals(List.of("Alice: two"), texts(poll),
                    "The poll on node B, held since before Alice posted on node A, should be answered with her message, not []");
        }
    }

    @Test
    @Lesson("§2 One stream, every node")
    void aPollWithNothingNewIsAnsweredEmptyWhenItsHoldEnds() {
        String last = post(nodes.a("/messages"), "Alice", "the last word");

        // A third node, C, that holds a poll for a moment only: this test waits for the hold to end. (Nodes A and B hold
        // for TwoNodes.HOLD, long enough that a poll is still held when the news it waits for arrives.) Http waits
        // longer than either for an answer.
        try (ChatNode c = ChatNode.start(0, nodes.config("C").withHold(Duration.ofMillis(100)))) {
            Response empty = Http.get("http://localhost:" + c.port() + "/messages?since=" + last);

            assertStatus(200, empty, "a poll with nothing new should be held, then answered 200 [] when its hold ends (so "
                    + "that no proxy on the way cuts it first), not held for ever");
            assertEquals(List.of(), texts(empty), "nothing came after the cursor: the answer is []");
        }
    }

    @Test
    @Lesson("§2 One stream, every node")
    void anIdleEventStreamSendsACommentNowAndThenSoThatNoProxyCutsIt() {
        // Node C sends its keep-alive often: this test waits for one. (Nodes A and B keep NodeConfig's 15 s.)
        try (ChatNode c = ChatNode.start(0, nodes.config("C").withKeepAlive(Duration.ofMillis(50)));
             EventStream idle = EventStream.open("http://localhost:" + c.port() + "/events?since=0")) {
            Eventually.until("an event stream with nothing to send should still send a comment line (\":\") every "
                    + "NodeConfig.keepAlive, so that no proxy on the way cuts it as idle",
                    () -> idle.lines().stream().anyMatch(line -> line.startsWith(":")) || idle.ended(), idle::describe);
            assertEquals(200, idle.status(), "GET /events on node C should open a stream: " + idle.describe());
            assertTrue(idle.lines().stream().anyMatch(line -> line.startsWith(":")), "expected a comment line (\":\"), "
                    + "the stream's keep-alive: " + idle.lines());
        }
    }

    @Test
    @Lesson("§3 Writing and reading the stream")
    void twoMessagesWrittenBackToBackBothReachTheClientsOfANode() throws Exception {
        String start = post(nodes.a("/messages"), "Alice", "start");
        try (EventStream onB = EventStream.open(nodes.b("/events?since=" + start))) {
            Eventually.until("GET /events on node B should open a stream", () -> onB.status() != 0 || onB.ended(), onB::describe);
            assertEquals(200, onB.status(), "GET /events on node B should open a stream: " + onB.describe());

            // Two entries written back to back, as another node under load does: Redis stores the second before node
            // B's reader, woken by the first, has asked again. Only an XREAD from the last id it saw still gets it.
            List<String> replies = pipelined(
                    "XADD " + Broker.STREAM + " * author Bob text one",
                    "XADD " + Broker.STREAM + " * author Bob text two");
            assertTrue(replies.stream().allMatch(r -> r.matches("\\$\\d+")), "the test could not write into Redis: " + replies);

            Eventually.until("node B's stream should deliver both messages written back to back",
                    () -> onB.data().size() >= 2, onB::describe);
            List<String> texts = onB.data().stream()
                    .map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString()).toList();
            assertEquals(List.of("one", "two"), texts, "each node follows the stream from the last id its reader saw "
                    + "(XREAD … STREAMS chat:messages <last id>), not from \"now\" ($): " + onB.describe());
        }
    }

    /** Sends the commands to Redis in one write, as a pipeline, and returns the first line of each reply. */
    List<String> pipelined(String... commands) throws Exception {
        try (Socket redis = new Socket(InetAddress.getLoopbackAddress(), nodes.redis().port())) {
            redis.setSoTimeout(5000);
            redis.getOutputStream().write((String.join("\r\n", commands) + "\r\n").getBytes(StandardCharsets.UTF_8));
            redis.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8));
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < commands.length; i++) {
                String head = in.readLine();
                replies.add(head);
                if (head != null && head.startsWith("$") && !head.equals("$-1")) {
                    in.readLine(); // the bulk string itself
                }
            }
            return replies;
        }
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void noMessageIsDeliveredTwiceWhenBothNodesAreUp() throws Exception {
        String start = post(nodes.a("/messages"), "Alice", "start");
        try (EventStream onA = EventStream.open(nodes.a("/events?since=" + start));
             EventStream onB = EventStream.open(nodes.b("/events?since=" + start))) {
            Eventually.until("Both streams should open", () -> onA.status() == 200 && onB.status() == 200,
                    () -> "A: " + onA.describe() + "; B: " + onB.describe());
            int each = 20;
            CompletableFuture<Void> alice = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= each; i++) {
                    post(nodes.a("/messages"), "Alice", "a" + i);
                }
            });
            CompletableFuture<Void> bob = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= each; i++) {
                    post(nodes.b("/messages"), "Bob", "b" + i);
                }
            });
            alice.join();
            bob.join();
            // Long polling on node B, from the same cursor, page after page.
            List<String> polled = new ArrayList<>();
            String cursor = start;
            while (polled.size() < 2 * each) {
                Response page = Http.get(nodes.b("/messages?since=" + cursor));
                assertStatus(200, page, "GET /messages on node B should answer");
                JsonArray got = JsonParser.parseString(page.body()).getAsJsonArray();
                assertTrue(got.size() > 0, "A poll with news waiting must answer at once with it: " + page.describe());
                for (var element : got) {
                    polled.add(element.getAsJsonObject().get("text").getAsString());
                    cursor = element.getAsJsonObject().get("id").getAsString();
                }
            }
            Eventually.until("Each stream should receive all " + 2 * each + " messages",
                    () -> onA.data().size() >= 2 * each && onB.data().size() >= 2 * each,
                    () -> "A: " + onA.data().size() + ", B: " + onB.data().size());

            List<String> fromA = onA.data().stream().map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString()).toList();
            List<String> fromB = onB.data().stream().map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString()).toList();
            assertEquals(2 * each, fromA.size(), "Node A's stream delivered a message twice (or more than were sent): " + fromA);
            assertEquals(fromA, fromB, "Both nodes must deliver the same messages in the same order, the stream's");
            assertEquals(fromA, polled, "Long polling must deliver the same messages in the same order, each once");
            assertEquals(2 * each, fromA.stream().distinct().count(), "A message was delivered twice: " + fromA);
            List<String> ids = onB.events().stream().map(EventStream.Event::id).toList();
            assertEquals(ids.stream().distinct().toList(), ids, "Every event's id must be its stream id, each once: " + ids);
        }
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void aMessageWrittenWhileAStreamCatchesUpIsSentOnceAfterWhatCameBefore() {
        // Node B's catch-up read waits at the gate between node B and Redis while a message is written and node B's
        // reader delivers it. So the message reaches the new client twice: from the reader during the catch-up, and
        // in the catch-up, after "before".
        List<String> texts = catchUpWhileAMessageIsWritten(Gated.COMMAND, "during the catch-up");
        assertEquals(List.of("before", "during the catch-up", "after"), texts, "a message that arrives while a "
                + "client catches up is both in the catch-up and in what the reader delivers meanwhile: send the "
                + "catch-up, then what was buffered, each message only if its id is after the last one sent");
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void aMessageWrittenAfterAStreamsCatchUpWasReadIsSentToo() {
        // Node B's catch-up read is done at Redis, but its reply waits at the gate while a message is written and node
        // B's reader delivers it: that message is not in the catch-up, only in what the reader delivered meanwhile.
        List<String> texts = catchUpWhileAMessageIsWritten(Gated.REPLY, "written after the catch-up was read");
        assertEquals(List.of("before", "written after the catch-up was read", "after"), texts, "a message written after "
                + "the catch-up was read is not in it: only the reader delivered it, and the subscriber kept it while it "
                + "caught up. Send the catch-up, then what was kept meanwhile, or that message is lost for this client");
    }

    /** What the gate holds back of node B's catch-up read: the command, or Redis's reply to it. */
    private enum Gated { COMMAND, REPLY }

    /**
     * "start" and "before" are written; a stream opens on node B from "start", and its catch-up read waits at the gate
     * ({@code gated}) while {@code meanwhile} is written and node B's reader delivers it; then "after" is written.
     * Returns the texts the stream brought, up to "after".
     */
    private List<String> catchUpWhileAMessageIsWritten(Gated gated, String meanwhile) {
        String start = post(nodes.a("/messages"), "Alice", "start");
        post(nodes.a("/messages"), "Alice", "before");
        RedisGate gate = nodes.gate();
        if (gated == Gated.COMMAND) {
            gate.hold();
        } else {
            gate.holdReplies();
        }
        try (EventStream stream = EventStream.open(nodes.b("/events?since=" + start))) {
            try {
                String reads = "GET /events on node B should read its catch-up from Redis (XRANGE after the cursor)";
                if (gated == Gated.COMMAND) {
                    gate.awaitWaiting(1, reads, stream::ended, stream::describe);
                } else {
                    gate.awaitReplyWaiting(reads, stream::ended, stream::describe);
                }
                String written = post(nodes.a("/messages"), "Bob", meanwhile);
                gate.awaitReaderAfter(written, "node B's reader should deliver \"" + meanwhile + "\" and then ask Redis "
                        + "for what comes after it");
            } finally {
                gate.release();
            }
            post(nodes.a("/messages"), "Alice", "after");
            Eventually.until("the stream on node B should bring the messages after its cursor, up to \"after\"",
                    () -> stream.data().stream().anyMatch(d -> d.contains("\"after\"")) || stream.ended(), stream::describe);
            return stream.data().stream()
                    .map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString()).toList();
        }
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void aClientThatWasAnsweredOrToldToReloadLeavesNothingBehindInTheNode() {
        String start = post(nodes.a("/messages"), "Alice", "start");
        try (EventStream open = EventStream.open(nodes.b("/events?since=" + start))) {
            Eventually.until("an open event stream on node B should wait there for news: node B counts 1 client waiting "
                    + "(ChatNode.waiting(), the subscribers its fanout has)", () -> nodes.waitingOnB() == 1 || open.ended(),
                    () -> nodes.waitingOnB() + " waiting; the stream: " + open.describe());
            CompletableFuture<Response> held = CompletableFuture.supplyAsync(() -> Http.get(nodes.b("/messages?since=" + start)));
            Eventually.until("a held poll on node B should wait there too: 2 clients waiting",
                    () -> nodes.waitingOnB() == 2 || held.isDone(), () -> nodes.waitingOnB() + " waiting");

            post(nodes.a("/messages"), "Alice", "news");
            Response answered = held.join();
            assertEquals(List.of("Alice: news"), texts(answered), "the held poll should be answered with the news: "
                    + answered.describe());
            Eventually.until("answered, the poll should leave node B's subscribers (or they grow with every request): "
                    + "only the open stream still waits", () -> nodes.waitingOnB() == 1, () -> nodes.waitingOnB() + " waiting");

            nodes.redis().command("XTRIM " + Broker.STREAM + " MAXLEN 0"); // the messages after `start` are gone
            try (EventStream reloaded = EventStream.open(nodes.b("/events?since=" + start))) {
                Eventually.until("a stream from a cursor whose messages are gone should get \"reload\" and end",
                        reloaded::ended, reloaded::describe);
                assertTrue(reloaded.events().stream().anyMatch(e -> e.type().equals("reload")), "expected a \"reload\" "
                        + "event: " + reloaded.describe());
            }
            Eventually.until("told to reload, that stream should leave node B's subscribers: only the first stream still "
                    + "waits", () -> nodes.waitingOnB() == 1, () -> nodes.waitingOnB() + " waiting");
        }
    }

    @Test
    @Lesson("§7 When Redis is away")
    void whileRedisIsDownTheNodesAnswer503AndRecoverWhenItIsBack() {
        String before = post(nodes.a("/messages"), "Alice", "before"); // the nodes work while Redis is up

        nodes.redis().stop();
        Response poll = Http.get(nodes.b("/messages?since=" + before));
        assertStatus(503, poll,
                "Without Redis, node B cannot know what is new: 503 Service Unavailable, at once, not a hung request");
        Response refusedStream = Http.get(nodes.a("/events?since=" + before));
        assertStatus(503, refusedStream, "Without Redis, node A cannot open an event stream: 503");
        Response posted = Http.postJson(nodes.a("/messages"), message("Alice", "lost?"));
        assertStatus(503, posted, "Without Redis, node A cannot store a message: 503, so that the page says \"not sent\"");
        for (Response unavailable : List.of(poll, refusedStream, posted)) {
            assertTrue(unavailable.header("Retry-After").isPresent(), "a 503 should say when to try again (Retry-After), "
                    + "so that clients do not all retry at once: " + unavailable.requestLine() + " — " + unavailable.describe());
        }

        nodes.redis().start(); // same port; this Redis keeps nothing on disk, so it comes back empty
        try (EventStream stream = Eventually.await("Node B should open event streams again once Redis is back", () -> {
            EventStream attempt = EventStream.open(nodes.b("/events?since=" + before));
            Eventually.until("GET /events on node B should answer", () -> attempt.status() != 0 || attempt.ended(), attempt::describe);
            if (attempt.status() == 200) {
                return java.util.Optional.of(attempt);
            }
            attempt.close();
            return java.util.Optional.empty();
        }, () -> "503")) {
            // Each node reconnects on its own; a 503 means "not stored", so trying again is safe.
            Eventually.until("Node A should store messages again once Redis is back",
                    () -> Http.postJson(nodes.a("/messages"), message("Alice", "after")).status() == 200, () -> "503");
            Eventually.until("Node B should deliver what node A stores once Redis is back",
                    () -> !stream.data().isEmpty(), stream::describe);
            assertEquals(1, stream.data().size(),
                    "Exactly one message: the one node A answered 200 to. A message answered 503 must never appear later: "
                    + stream.describe());
            assertTrue(stream.data().get(0).contains("\"after\""), stream.describe());
        }
    }

    @Test
    @Lesson("§8 Bad input")
    void badCursorsAndBadMessagesAreRefusedAndNothingIsStored() {
        post(nodes.a("/messages"), "Alice", "the only one");
        for (String bad : List.of("abc", "-1", "1-2-3", "1e3", "99999999999999999999999")) {
            assertStatus(400, Http.get(nodes.a("/messages?since=" + bad)), "since=" + bad + " is not a stream id: 400");
            assertStatus(400, Http.get(nodes.b("/events?since=" + bad)), "since=" + bad + " is not a stream id: 400");
        }
        assertStatus(400, Http.send("GET", nodes.b("/events"), null, Map.of("Last-Event-ID", "<script>")),
                "A Last-Event-ID that is not a stream id: 400");
        assertStatus(400, Http.postJson(nodes.a("/messages"), "{\"author\":\"Alice\""), "Malformed JSON: 400");
        assertStatus(413, Http.postJson(nodes.a("/messages"), message("Alice", "x".repeat(501))), "501 characters: 413");
        assertStatus(404, Http.get(nodes.a("/nope")), "An unknown route: 404");
        assertStatus(405, Http.send("DELETE", nodes.a("/messages"), null, Map.of()), "DELETE /messages: 405");
        Response all = Http.get(nodes.b("/messages?since=0"));
        assertStatus(200, all, "GET /messages?since=0 should list the stream");
        assertEquals(List.of("Alice: the only one"), texts(all), "A refused message must not be stored");
    }
}

package kata.scaleout;

import static kata.scaleout.ScaleOutApiTest.assertStatus;
import static kata.scaleout.ScaleOutApiTest.post;
import static kata.scaleout.ScaleOutApiTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import kata.harness.Eventually;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's memory per client stays bounded: a client that does not read, or that falls too far behind while it
 * catches up, is dropped — and loses nothing, because it resumes from its stream id, from Redis.
 */
class SlowClientTest {
    /** Node B's small bounds, so that a few messages are enough to pass them; node A keeps the defaults. */
    static final int MAX_UNSENT = 3;
    static final int MAX_PENDING = 2;
    /**
     * Node B's socket send buffer and the slow client's receive buffer, in bytes: small, so that a few big messages
     * fill them (with the system's, which grow to megabytes, it took ten).
     */
    static final int SEND_BUFFER = 16 * 1024;
    static final int RECEIVE_BUFFER = 4096;

    @RegisterExtension
    final TwoNodes nodes = new TwoNodes().nodeBDropsAfter(MAX_UNSENT, MAX_PENDING).nodeBSendBuffer(SEND_BUFFER);

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void anEventStreamClientThatDoesNotReadIsDroppedAndResumesFromItsIdWithoutLosingAMessage() throws Exception {
        String start = post(nodes.a("/messages"), "Alice", "start");
        int count = bigMessagesToFillTheKernelsBuffers();
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(RECEIVE_BUFFER); // a small window: the node's writes back up soon
            slow.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.nodeB().getPort()));
            // HTTP/1.0: the body comes as it is (not chunked), and ends when the node ends the stream.
            slow.getOutputStream().write(("GET /events?since=" + start + " HTTP/1.0\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            BufferedReader wire = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(String.valueOf(wire.readLine()).contains(" 200 "), "GET /events on node B should open a stream");

            // The client reads no further while Bob's messages arrive: more than the kernel's buffers hold. Node B's
            // reader hands them all to the client's stream before it asks Redis again.
            String last = nodes.redis().command("EVAL \"local id; for i = 1, " + count + " do id = redis.call('XADD', '"
                    + Broker.STREAM + "', '*', 'author', 'Bob', 'text', 'big' .. i .. ' ' .. string.rep('x', "
                    + BIG + ")) end; return redis.status_reply(id)\" 0");
            assertTrue(String.valueOf(last).matches("\\+\\d+-\\d+"), "the test could not write into Redis: " + last);
            nodes.gate().awaitReaderAfter(last.substring(1), "node B's reader should deliver Bob's " + count
                    + " messages and then ask Redis for what comes after them");

            // Now it reads: what reached it before the node dropped it, and then the end of the stream, not everything.
            slow.setSoTimeout((int) Eventually.DEADLINE.toMillis());
            List<String> ids = new ArrayList<>();
            List<String> got = new ArrayList<>();
            try {
                readEvents(wire, ids, got);
            } catch (SocketTimeoutException stillOpen) {
                throw new AssertionError("a client that does not read should be dropped once more than " + MAX_UNSENT
                        + " events (NodeConfig.maxUnsent) wait for it — the node ends its stream, and it comes back with "
                        + "its Last-Event-ID — but after " + got.size() + " of " + count + " messages the stream was still open");
            }
            assertTrue(got.size() < count, "the node should have dropped the client that did not read, before it sent "
                    + "all " + count + " messages; it got them all: the node kept every message for it in memory");
            assertEquals(bigTexts(1, got.size()), got, "what the dropped client got before the end: the messages in order");

            // The browser reconnects with the id of the last event it got — here to node A — and is caught up from Redis.
            String lastSeen = ids.isEmpty() ? start : ids.get(ids.size() - 1);
            try (EventStream back = EventStream.open(nodes.a("/events"), Map.of("Last-Event-ID", lastSeen))) {
                int missing = count - got.size();
                Eventually.until("reconnected with Last-Event-ID " + lastSeen + ", the client should get the " + missing
                        + " messages it missed", () -> back.data().size() >= missing || back.ended(), back::describe);
                List<String> rest = back.data().stream()
                        .map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString())
                        .map(SlowClientTest::tag).toList();
                assertEquals(bigTexts(got.size() + 1, count), rest, "after the drop, the client resumes from its id: "
                        + "every message once, in order, nothing lost");
            }
        }
    }

    @Test
    @Lesson("§4 Stream ids are the cursor")
    void aClientThatFallsTooFarBehindWhileItCatchesUpIsAnsweredAtOnceAndResumesFromItsId() throws Exception {
        String start;
        try (EventStream warm = EventStream.open(nodes.b("/events?since=0"))) {
            Eventually.until("GET /events on node B should open a stream", () -> warm.status() != 0 || warm.ended(), warm::describe);
            start = post(nodes.a("/messages"), "Alice", "start");
            // Once node B's reader has delivered "start", nothing else waits in the next subscriber but what the test writes.
            Eventually.until("node B's stream should deliver the message posted on node A",
                    () -> !warm.data().isEmpty() || warm.ended(), warm::describe);
        }

        // As many messages arrive during the catch-up as a subscriber may buffer: it keeps them, and goes live.
        try (EventStream kept = openWhileTheCatchUpWaits(nodes.b("/events?since=" + start), "kept", MAX_PENDING)) {
            Eventually.until("the stream should bring the " + MAX_PENDING + " messages written during its catch-up",
                    () -> kept.data().size() >= MAX_PENDING || kept.ended(), kept::describe);
            assertEquals(List.of("kept1", "kept2"), streamTexts(kept), "with " + MAX_PENDING + " messages buffered (the "
                    + "bound, NodeConfig.maxPending) the client is kept: " + kept.describe());
            String keptLast = kept.events().get(kept.events().size() - 1).id();

            // One more than the bound: the client is dropped while it catches up, and told at once.
            CompletableFuture<Response> poll = new CompletableFuture<>();
            try (EventStream dropped = openWhileTheCatchUpWaits(nodes.b("/events?since=" + keptLast), "over",
                    MAX_PENDING + 1, 2, () -> poll.completeAsync(() -> Http.get(nodes.b("/messages?since=" + keptLast))))) {
                Eventually.until("a stream that had more than " + MAX_PENDING + " messages (NodeConfig.maxPending) waiting "
                        + "while it caught up should be dropped: the node ends it, and the browser reconnects from its id",
                        dropped::ended, dropped::describe);
                assertEquals(List.of(), dropped.data(), "the dropped stream ends without passing anything on: "
                        + dropped.describe());
                Response answered = poll.join();
                assertStatus(200, answered, "the long poll dropped during its catch-up should still be answered");
                assertEquals(List.of("Bob: over1", "Bob: over2", "Bob: over3"), texts(answered), "a long poll dropped while "
                        + "it caught up should be answered at once with what its catch-up read from Redis, not held and then "
                        + "answered []");
            }
            try (EventStream back = EventStream.open(nodes.b("/events?since=" + keptLast))) {
                Eventually.until("reconnected from its id, the client should get the 3 messages",
                        () -> back.data().size() >= 3 || back.ended(), back::describe);
                assertEquals(List.of("over1", "over2", "over3"), streamTexts(back), "nothing lost: " + back.describe());
            }
            Eventually.until("the stream that was kept should still be live and get the 3 messages too",
                    () -> kept.data().size() >= 5 || kept.ended(), kept::describe);
            assertEquals(List.of("kept1", "kept2", "over1", "over2", "over3"), streamTexts(kept), kept.describe());
        }
    }

    /** Each big message's text is {@code big<i> xxx…}; the tests compare the {@code big<i>} part. */
    static final int BIG = 64 * 1024;

    /**
     * Enough messages of {@link #BIG} characters to fill node B's socket send buffer and the client's receive
     * buffer (Linux gives each twice what is asked: the other half is for its own bookkeeping) twice over, and more
     * than {@link #MAX_UNSENT} besides.
     */
    static int bigMessagesToFillTheKernelsBuffers() {
        return 2 * (2 * SEND_BUFFER + 2 * RECEIVE_BUFFER) / BIG + MAX_UNSENT + 4;
    }

    static List<String> bigTexts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "big" + i).toList();
    }

    static String tag(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** Reads complete events until the stream ends, the id and the text's tag of each. */
    static void readEvents(BufferedReader wire, List<String> ids, List<String> tags) throws IOException {
        String id = null;
        String data = null;
        for (String line = wire.readLine(); line != null; line = wire.readLine()) {
            if (line.isEmpty()) {
                if (data != null && id != null) {
                    ids.add(id);
                    tags.add(tag(JsonParser.parseString(data).getAsJsonObject().get("text").getAsString()));
                }
                id = null;
                data = null;
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).strip();
            }
        }
    }

    static List<String> streamTexts(EventStream stream) {
        return stream.data().stream().map(d -> JsonParser.parseString(d).getAsJsonObject().get("text").getAsString()).toList();
    }

    EventStream openWhileTheCatchUpWaits(String url, String text, int messages) {
        return openWhileTheCatchUpWaits(url, text, messages, 1, () -> { });
    }

    /**
     * Opens the stream while node B's catch-up reads wait at its gate to Redis; {@code alsoMeanwhile} sends any other
     * request that should catch up in the same moment ({@code requests} in all). Then {@code messages} messages are
     * written (Bob: text1, text2, …) and node B's reader delivers them: they wait in the subscribers. Only then do
     * the catch-ups go on.
     */
    EventStream openWhileTheCatchUpWaits(String url, String text, int messages, int requests, Runnable alsoMeanwhile) {
        RedisGate gate = nodes.gate();
        gate.hold();
        EventStream stream = EventStream.open(url);
        try {
            alsoMeanwhile.run();
            gate.awaitWaiting(requests, "node B should read the catch-up of " + (requests == 1 ? "the stream" : "the stream "
                    + "and the poll") + " from Redis (XRANGE after the cursor)", stream::ended, stream::describe);
            String last = nodes.redis().command("EVAL \"local id; for i = 1, " + messages + " do id = redis.call('XADD', '"
                    + Broker.STREAM + "', '*', 'author', 'Bob', 'text', '" + text + "' .. i) end; "
                    + "return redis.status_reply(id)\" 0");
            assertTrue(String.valueOf(last).matches("\\+\\d+-\\d+"), "the test could not write into Redis: " + last);
            gate.awaitReaderAfter(last.substring(1), "node B's reader should deliver the " + messages + " messages "
                    + "written during the catch-up and then ask Redis for what comes after them");
        } catch (RuntimeException | AssertionError e) {
            stream.close();
            throw e;
        } finally {
            gate.release();
        }
        return stream;
    }
}

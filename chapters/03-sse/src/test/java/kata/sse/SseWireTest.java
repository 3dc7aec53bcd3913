package kata.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import kata.harness.EventStreamReader;
import kata.harness.Eventually;
import kata.harness.HeldThreads;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import kata.harness.sse.ServerSentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The event stream on the wire: its headers and fields, replay after Last-Event-ID, heartbeats, and hanging up. */
class SseWireTest {
    /** A small history, so that a client can fall behind it; heartbeats every 15 s (default), out of the way. */
    final SseServer.Options small = SseServer.Options.defaults()
            .withHistory(3)
            .withRetry(Duration.ofMillis(100));

    @RegisterExtension
    final Served<SseServer> app = Served.by(() -> SseServer.start(0, small), SseServer::port);

    private void post(String author, String text) {
        Response posted = Http.postJson(app.url("/messages"),
                "{\"author\":\"" + author + "\",\"text\":\"" + text.replace("\n", "\\n") + "\"}");
        assertEquals(200, posted.status(), "POST /messages should publish a message — but " + posted.describe());
    }

    private EventStreamReader stream(String pathAndQuery, Map<String, String> headers) {
        return EventStreamReader.open(app.url(pathAndQuery), headers);
    }

    @Test
    @Lesson("§3 The event stream format")
    void theFirstEventsOfAStreamOnTheWire() {
        post("Alice", "Hi Bob");
        post("Bob", "roses are red\nviolets are blue");

        try (EventStreamReader carol = stream("/events?name=Carol", Map.of())) {
            String wire = carol.awaitTextOfEvents(3); // the two messages, then Carol's own arrival

            Snapshot.verify("> GET /events?name=Carol\n< " + carol.status()
                    + "\n< Content-Type: " + carol.header("Content-Type").orElse("(absent)")
                    + "\n< Cache-Control: " + carol.header("Cache-Control").orElse("(absent)")
                    + "\n\n" + wire);
        }
    }

    @Test
    @Lesson("§3 The event stream format")
    void theStreamIsNeverCachedNorBufferedAndTellsTheBrowserHowSoonToReconnect() {
        try (EventStreamReader stream = stream("/events", Map.of())) {
            assertEquals("no-cache", stream.header("Cache-Control").orElse("(absent)"),
                    "A stream must not be cached or buffered on the way: Cache-Control: no-cache");
            assertEquals("no", stream.header("X-Accel-Buffering").orElse("(absent)"),
                    "A proxy such as nginx collects a response in its buffer unless told not to, and the page then"
                            + " gets its events late, in bursts: X-Accel-Buffering: no");
            stream.awaitText("a retry: field", text -> !stream.retries().isEmpty());
            assertEquals(List.of(small.retry().toMillis()), stream.retries(),
                    "The stream should start with retry: " + small.retry().toMillis() + " (the configured reconnection delay, in ms)");
        }
    }

    @Test
    @Lesson("§3 The event stream format")
    void linesOfTextBecomeDataLinesAndArriveWhole() {
        try (EventStreamReader stream = stream("/events", Map.of())) {
            post("Alice", "one\ntwo");
            Http.postJson(app.url("/messages"), "{\"author\":\"Alice\",\"text\":\"three\\r\\nfour\\rfive\"}");
            post("Alice", "six\n");

            List<ServerSentEvent> events = stream.awaitEvents(3);

            assertEquals("Alice: one\ntwo", events.get(0).data(),
                    "\"one\\ntwo\" should arrive whole: one data: line per line of text");
            assertEquals("Alice: three\nfour\nfive", events.get(1).data(),
                    "CR LF and a lone CR end a line too: split on all three, or the browser drops the rest");
            assertEquals("Alice: six\n", events.get(2).data(),
                    "\"six\\n\" should arrive with its line break: the empty line after it is a line of the text"
                            + " too, and needs its own data: line");
            assertTrue(stream.rawText().contains("data: Alice: one\ndata: two\n\n"),
                    "On the wire, each line of the text is a data: line of its own:\n" + stream.rawText());
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aReconnectionGetsExactlyTheEventsAfterItsLastEventIdThenGoesLive() {
        post("Alice", "one");
        post("Alice", "two");
        post("Alice", "three");

        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "1"))) {
            List<ServerSentEvent> replayed = stream.awaitEvents(2);
            assertEquals(List.of("2 Alice: two", "3 Alice: three"), idsAndData(replayed),
                    "Last-Event-ID: 1 means \"I have everything up to 1\": replay 2 and 3, each with its id:");

            post("Bob", "four");

            assertEquals(List.of("2 Alice: two", "3 Alice: three", "4 Bob: four"), idsAndData(stream.awaitEvents(3)),
                    "After the replay, the stream goes live: message 4 once, right after 3");
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aLastEventIdOlderThanTheHistoryGetsAResetEvent() {
        for (String text : List.of("one", "two", "three", "four", "five")) {
            post("Alice", text); // the history keeps 3: ids 3, 4 and 5
        }

        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "1"))) {
            List<ServerSentEvent> events = stream.awaitEvents(4);
            assertEquals("reset", events.get(0).type(),
                    "Message 2 is forgotten, so the page cannot be brought up to date from id 1: say so first, with"
                            + " an event: reset — was " + events.get(0));
            assertEquals(List.of("3 Alice: three", "4 Alice: four", "5 Alice: five"), idsAndData(events.subList(1, 4)),
                    "After the reset, everything the history still has");
        }
        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "banana"))) {
            assertEquals("reset", stream.awaitEvents(1).get(0).type(),
                    "A Last-Event-ID that is no id of ours (\"banana\") cannot be resumed either: reset");
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aLastEventIdJustBeforeTheOldestKeptResumesWithoutAReset() {
        for (String text : List.of("one", "two", "three", "four", "five")) {
            post("Alice", text); // the history keeps 3: ids 3, 4 and 5
        }

        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "2"))) {
            assertEquals(List.of("3 Alice: three", "4 Alice: four", "5 Alice: five"), idsAndData(stream.awaitEvents(3)),
                    "Last-Event-ID: 2 needs 3, 4 and 5, and the history still has all three: replay them, no reset"
                            + " (a reset makes the page throw away what it shows)");
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aLastEventIdOfTheNewestEventGetsNoReplayAndNoReset() {
        post("Alice", "one");
        post("Alice", "two");

        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "2"))) {
            post("Bob", "three");
            stream.awaitText("Bob: three");
            assertEquals(List.of("3 Bob: three"), idsAndData(stream.events()),
                    "Last-Event-ID: 2 is the newest id: this browser missed nothing, so it gets no replay and no"
                            + " reset — only what comes next, 3, live");
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aLastEventIdAboveTheNewestGetsAResetEvent() {
        post("Alice", "one");
        post("Alice", "two");

        // Id 7 was given by this server's previous life, before a restart started the ids again from 1.
        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "7"))) {
            List<ServerSentEvent> events = stream.awaitEvents(1);
            assertEquals("reset", events.get(0).type(),
                    "Last-Event-ID: 7, but the newest id is 2: what the page shows is not from this history, and"
                            + " nothing can be resumed from it — reset first. Was " + events.get(0));
            assertEquals(List.of("1 Alice: one", "2 Alice: two"), idsAndData(stream.awaitEvents(3).subList(1, 3)),
                    "After the reset, everything the history has");
        }
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void aResetTellsTheBrowserWhereToResumeFrom() {
        for (String text : List.of("one", "two", "three", "four", "five")) {
            post("Alice", text); // the history keeps 3: ids 3, 4 and 5
        }
        String resumeFrom;
        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", "banana"))) {
            ServerSentEvent reset = stream.awaitEvents(1).get(0);
            assertEquals("reset", reset.type(), "Last-Event-ID: banana should get a reset first — was " + reset);
            resumeFrom = reset.lastEventId();
        } // the connection breaks right after the reset: the browser sends the reset's id when it comes back

        try (EventStreamReader stream = stream("/events", Map.of("Last-Event-ID", resumeFrom))) {
            post("Bob", "six");
            stream.awaitText("Bob: six");
            assertEquals(List.of("3 Alice: three", "4 Alice: four", "5 Alice: five", "6 Bob: six"),
                    idsAndData(stream.events()),
                    "A browser that lost its stream right after a reset comes back with the reset's id (it was "
                            + resumeFrom + "): it must then get everything that followed the reset, 3 to 5, then 6"
                            + " live — so the reset carries the id just before the first event it is followed by");
        }
    }

    @Test
    @Lesson("§6 Heartbeats and hanging up")
    void anIdleStreamGetsAHeartbeatComment() {
        SseServer.Options pinging = small.withHeartbeat(Duration.ofMillis(100));
        try (SseServer server = SseServer.start(0, pinging);
                EventStreamReader stream = EventStreamReader.open("http://localhost:" + server.port() + "/events")) {
            String wire = stream.awaitText("two \": ping\" comments on an idle stream (one every 100 ms)",
                    text -> text.split(": ping\n", -1).length > 2);
            assertTrue(stream.events().isEmpty(), "A heartbeat is a comment, not an event: the page must not see it."
                    + " Sent:\n" + wire);
        }
    }

    @Test
    @Lesson("§6 Heartbeats and hanging up")
    void aSubscriberThatHangsUpIsRemoved() {
        SseServer.Options pinging = small.withHeartbeat(Duration.ofMillis(100));
        try (SseServer server = SseServer.start(0, pinging)) {
            EventStreamReader stream = EventStreamReader.open("http://localhost:" + server.port() + "/events");
            Eventually.until("subscriberCount() should be 1 while a stream is open", () -> server.subscriberCount() == 1,
                    () -> "subscriberCount() = " + server.subscriberCount());

            stream.close(); // the tab is closed

            Eventually.until("subscriberCount() should go back to 0 once the client hung up (the next write fails)",
                    () -> server.subscriberCount() == 0, () -> "subscriberCount() = " + server.subscriberCount());
        }
    }

    @Test
    @Lesson("§7 Slow subscribers")
    void aSubscriberThatStopsReadingIsCutOffAndTheOthersKeepUp() throws IOException {
        SseServer.Options tight = small.withHistory(1000).withBufferBytes(16 * 1024);
        try (SseServer server = SseServer.start(0, tight);
                Socket stuck = new Socket()) {
            // A client that asks for the stream and then never reads a byte of it: a phone in a tunnel.
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
            stuck.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (EventStreamReader quick = EventStreamReader.open("http://127.0.0.1:" + server.port() + "/events")) {
                Eventually.until("both streams should be open", () -> server.subscriberCount() == 2,
                        () -> "subscriberCount() = " + server.subscriberCount());

                String text = "€".repeat(500); // 1,500 bytes of UTF-8 a message
                int sent = 0;
                while (server.subscriberCount() == 2 && sent < 1000) {
                    Response posted = Http.postJson("http://127.0.0.1:" + server.port() + "/messages",
                            "{\"author\":\"Alice\",\"text\":\"" + text + "\"}");
                    assertEquals(200, posted.status(), "POST /messages should publish — but " + posted.describe());
                    sent++;
                    // The reader keeps up: it has each message before the next is sent, however stuck the other is.
                    List<ServerSentEvent> got = quick.awaitEvents(sent);
                    assertEquals("Alice: " + text, got.get(sent - 1).data(),
                            "The client that reads should get every message, in order, while the other is stuck");
                }
                assertEquals(1, server.subscriberCount(), "After " + sent + " messages (" + sent * 3 / 2
                        + " kB) that the stuck client never read, its 16 KiB buffer is long full: it should have been"
                        + " cut off, leaving the 1 subscriber that reads");
            }
        }
    }

    @Test
    @Lesson("§7 Slow subscribers")
    void aSubscriberThatPausesGetsEverythingOnceItReadsAgain() throws IOException {
        SseServer.Options roomy = small.withHistory(1000).withBufferBytes(1024 * 1024);
        try (SseServer server = SseServer.start(0, roomy);
                Socket paused = new Socket()) {
            // A phone in a tunnel for a while: it asks for the stream, then reads nothing until the tunnel ends.
            subscribeWithASmallBuffer(paused, server);

            String text = "€".repeat(500); // 1,500 bytes of UTF-8 a message
            int messages = 300; // 450 kB: far more than the sockets on the way hold, far less than the 1 MiB bound
            for (int i = 0; i < messages; i++) {
                Response posted = Http.postJson("http://127.0.0.1:" + server.port() + "/messages",
                        "{\"author\":\"Alice\",\"text\":\"" + text + "\"}");
                assertEquals(200, posted.status(), "POST /messages should publish — but " + posted.describe());
            }

            List<Long> ids = readIdsUntil(paused, messages); // out of the tunnel: it reads again
            long lastSeen = ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
            assertEquals(messages, lastSeen, "A subscriber that paused, within its bound, should get every message"
                    + " once it reads again — but its stream stopped at id " + lastSeen + " of " + messages + ": when the"
                    + " socket is full, what waits must be written as soon as the socket takes more");
            assertEquals(LongStream.rangeClosed(1, messages).boxed().toList(), ids,
                    "Every message once, in order, after the pause");
        }
    }

    @Test
    @Lesson("§7 Slow subscribers")
    void theBoundCountsTheBytesOfTheEventAboutToWait() {
        String text = "€".repeat(100); // 100 characters, 300 bytes of UTF-8
        // The event on the wire, as theFirstEventsOfAStreamOnTheWire pins it: a server's first message has id 1.
        int eventBytes = ("id: 1\ndata: Alice: " + text + "\n\n").getBytes(StandardCharsets.UTF_8).length;

        // A bound of exactly one event: a reader that keeps up never has more than that waiting.
        try (SseServer server = SseServer.start(0, small.withBufferBytes(eventBytes));
                EventStreamReader reader = EventStreamReader.open("http://127.0.0.1:" + server.port() + "/events")) {
            Eventually.until("the stream should be open", () -> server.subscriberCount() == 1,
                    () -> "subscriberCount() = " + server.subscriberCount());
            postTo(server, "Alice", text);
            assertEquals("Alice: " + text, reader.awaitEvents(1).get(0).data(), "With withBufferBytes(" + eventBytes
                    + "), the size of this event in bytes, a reader that keeps up should get it: the bound is how many"
                    + " bytes may wait, and this event alone is not more than that");
            assertEquals(1, server.subscriberCount(), "A subscriber within its bound stays subscribed");
        }
        // One byte less: this event alone would take the subscriber past its bound.
        try (SseServer server = SseServer.start(0, small.withBufferBytes(eventBytes - 1));
                EventStreamReader reader = EventStreamReader.open("http://127.0.0.1:" + server.port() + "/events")) {
            Eventually.until("the stream should be open", () -> server.subscriberCount() == 1,
                    () -> "subscriberCount() = " + server.subscriberCount());
            postTo(server, "Alice", text);
            Eventually.until("With withBufferBytes(" + (eventBytes - 1) + "), one byte less than this event (" + eventBytes
                            + " bytes of UTF-8, " + text.length() + " characters of text), queuing it would put the"
                            + " subscriber past its bound: it should be cut off instead. Count the bytes of the event"
                            + " about to wait, with those already waiting, before it is queued",
                    () -> server.subscriberCount() == 0,
                    () -> "subscriberCount() = " + server.subscriberCount() + ", events received: " + reader.events().size());
            assertTrue(reader.events().isEmpty(), "A subscriber cut off for an event should not get that event: "
                    + reader.events());
        }
    }

    private static void postTo(SseServer server, String author, String text) {
        Response posted = Http.postJson("http://127.0.0.1:" + server.port() + "/messages",
                "{\"author\":\"" + author + "\",\"text\":\"" + text + "\"}");
        assertEquals(200, posted.status(), "POST /messages should publish — but " + posted.describe());
    }

    /** The status line and headers of a raw response, read up to the blank line that ends them, and no further. */
    private static String readHead(Socket socket) throws IOException {
        socket.setSoTimeout((int) EventStreamReader.DEADLINE.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException silent) {
            throw new AssertionError("GET /events answered nothing within " + EventStreamReader.DEADLINE.toSeconds()
                    + " s, not even its headers: an event stream answers its headers at once and stays open");
        }
        return head.toString();
    }

    /** The ids of the events on a raw connection, read until {@code last} arrives or nothing more comes. */
    private static List<Long> readIdsUntil(Socket socket, long last) throws IOException {
        socket.setSoTimeout((int) EventStreamReader.DEADLINE.toMillis());
        StringBuilder wire = new StringBuilder();
        List<Long> ids = new ArrayList<>();
        byte[] buffer = new byte[8192];
        InputStream in = socket.getInputStream();
        while (ids.isEmpty() || ids.get(ids.size() - 1) < last) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException stalled) {
                n = -1;
            }
            if (n < 0) {
                break; // the stream stalled or ended: the assertion that follows says where
            }
            wire.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            int lineEnd;
            while ((lineEnd = wire.indexOf("\n")) >= 0) {
                String line = wire.substring(0, lineEnd);
                wire.delete(0, lineEnd + 1);
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4).strip()));
                }
            }
        }
        return ids;
    }

    @Test
    @Lesson("§7 Slow subscribers")
    void aLongHistoryIsReplayedWholeHoweverSmallTheBuffer() throws IOException {
        SseServer.Options tight = small.withHistory(1000).withBufferBytes(16 * 1024);
        try (SseServer server = SseServer.start(0, tight);
                Socket late = new Socket()) {
            String text = "€".repeat(500); // 1,500 bytes of UTF-8 a message
            int messages = 300; // 450 kB: far more than the sockets on the way hold, and than the 16 KiB bound
            for (int i = 0; i < messages; i++) {
                Response posted = Http.postJson("http://127.0.0.1:" + server.port() + "/messages",
                        "{\"author\":\"Alice\",\"text\":\"" + text + "\"}");
                assertEquals(200, posted.status(), "POST /messages should publish — but " + posted.describe());
            }

            // A page that arrives late, on a slow phone: it reads its headers, then nothing until it is subscribed.
            subscribeWithASmallBuffer(late, server);

            assertEquals(LongStream.rangeClosed(1, messages).boxed().toList(), readIdsUntil(late, messages),
                    "A page that arrives late should get the whole history (300 messages, 450 kB), however small the"
                            + " buffer for live events: the history already bounds the replay, and a page cut off"
                            + " during its replay would come back and be cut off again, forever");
        }
    }

    @Test
    @Lesson("§2 One stream per page")
    void openStreamsHoldNoThread() {
        List<EventStreamReader> pages = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                pages.add(stream("/events", Map.of()));
            }
            Eventually.until("8 streams should be open", () -> app.server().subscriberCount() == 8,
                    () -> "subscriberCount() = " + app.server().subscriberCount());
            post("Alice", "Hello everyone");
            for (EventStreamReader page : pages) {
                page.awaitText("Alice: Hello everyone");
            }

            Eventually.until("An open stream should hold no thread of the server: the handler hands the exchange over and"
                            + " returns, and bytes are written when there are some",
                    () -> HeldThreads.inside(SseServer.class).isEmpty(),
                    () -> String.join("; ", HeldThreads.inside(SseServer.class)));
        } finally {
            pages.forEach(EventStreamReader::close);
        }
    }

    private static List<String> idsAndData(List<ServerSentEvent> events) {
        return events.stream().map(e -> e.lastEventId() + " " + e.data()).toList();
    }

    /**
     * Asks for the stream on {@code socket} with a 4 KiB receive buffer, as a slow phone would, reads the response's
     * head, and waits until the server counts the stream: from then on the test decides when the socket reads.
     */
    private static void subscribeWithASmallBuffer(Socket socket, SseServer server) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket);
        assertTrue(head.startsWith("HTTP/1.1 200"), "GET /events should answer 200 and stay open — but it answered:\n"
                + head.strip());
        Eventually.until("the stream should be open", () -> server.subscriberCount() == 1,
                () -> "subscriberCount() = " + server.subscriberCount());
    }
}

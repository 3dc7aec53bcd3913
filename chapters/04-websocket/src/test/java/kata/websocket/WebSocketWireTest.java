package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import kata.harness.Http;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The socket on the wire, with a client written on a plain TCP socket. */
class WebSocketWireTest {
    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> WebSocketServer.start(0), WebSocketServer::port);

    @Test
    @Lesson("§1 The upgrade handshake")
    void theHandshakeOnTheWire() {
        RawSocket.Handshake answer = RawSocket.handshake(app.port(), "/ws?name=Alice&since=0",
                java.util.Map.of("Origin", app.origin()));
        try (RawSocket alice = answer.socket()) {
            assertEquals(101, answer.status(), "The handshake should be answered 101 Switching Protocols — but it was "
                    + answer.describe());
            assertEquals(RawSocket.acceptFor(RawSocket.SAMPLE_KEY), answer.header("Sec-WebSocket-Accept"),
                    "Sec-WebSocket-Accept must be base64(SHA-1(key + \"" + RawSocket.GUID + "\"))");

            alice.sendText("{\"type\":\"message\",\"text\":\"Hi <b>Bob</b>\"}");
            String echoed = alice.readText();
            alice.sendClose(1000);
            RawSocket.Ending ending = alice.readUntilClose(true);

            List<String> transcript = new ArrayList<>();
            answer.request().strip().lines().forEach(line -> transcript.add("> " + line));
            transcript.add("");
            transcript.add("< " + answer.statusLine());
            for (String header : List.of("Upgrade", "Connection", "Sec-WebSocket-Accept")) {
                transcript.add("< " + header + ": " + answer.header(header));
            }
            transcript.add("");
            transcript.add("> text {\"type\":\"message\",\"text\":\"Hi <b>Bob</b>\"}");
            transcript.add("< text " + echoed);
            transcript.add("> close 1000");
            transcript.add("< close " + ending.code() + (ending.reason().isEmpty() ? "" : " " + ending.reason()));
            Snapshot.verify(String.join("\n", transcript));
        }
    }

    @Test
    @Lesson("§7 Reconnect and resume")
    void aReconnectingClientGetsExactlyWhatItMissedThenEverythingLive() {
        try (RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            for (String text : List.of("one", "two", "three", "four")) {
                alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                alice.readText();
            }
            try (RawSocket bob = RawSocket.open(app.port(), "/ws?name=Bob&since=2", app.origin())) {
                assertEquals(message(3, "three"), bob.readText(), "since=2: the first frame should be message 3");
                assertEquals(message(4, "four"), bob.readText(), "then message 4");
                alice.sendText("{\"type\":\"message\",\"text\":\"five\"}");
                assertEquals(message(5, "five"), bob.readText(),
                        "then the next live message, 5: nothing missed between the replay and the live frames, nothing twice");
            }
        }
    }

    @Test
    @Lesson("§3 One order for everyone")
    void everySocketGetsEachMessageOnceTheSendersToo() {
        try (RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin());
             RawSocket bob = RawSocket.open(app.port(), "/ws?name=Bob", app.origin())) {
            bob.sendText("{\"type\":\"message\",\"text\":\"two\"}");
            List<String> bobHeard = new ArrayList<>(List.of(bob.readText())); // stored: id 1
            for (String text : List.of("one", "three", "end")) {
                alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
            }
            List<String> expected = List.of(message(1, "Bob", "two"), message(2, "Alice", "one"),
                    message(3, "Alice", "three"), message(4, "Alice", "end"));
            assertEquals(expected, readUntil(alice, expected.get(3), List.of()),
                    "Alice should get every message once, her own included, in the server's order");
            assertEquals(expected, readUntil(bob, expected.get(3), bobHeard),
                    "Bob should get every message once, his own included, in the server's order");
        }
    }

    private static List<String> readUntil(RawSocket socket, String last, List<String> already) {
        List<String> heard = new ArrayList<>(already);
        while (!heard.contains(last) && heard.size() < 20) {
            heard.add(socket.readText());
        }
        return heard;
    }

    @Test
    @Lesson("§1 The upgrade handshake")
    void aHandshakeThatCannotBeTakenIsRefusedBeforeTheUpgrade() {
        RawSocket.Handshake nameless = RawSocket.handshake(app.port(), "/ws", java.util.Map.of("Origin", app.origin()));
        nameless.socket().close();
        assertEquals(400, nameless.status(), "GET /ws without ?name= should be refused with 400 before any upgrade — but "
                + nameless.describe());
        RawSocket.Handshake badCursor = RawSocket.handshake(app.port(), "/ws?name=Bob&since=abc",
                java.util.Map.of("Origin", app.origin()));
        badCursor.socket().close();
        assertEquals(400, badCursor.status(), "since=abc is not a message id: 400 — but " + badCursor.describe());
        String longest = "n".repeat(kata.chat.NewMessage.MAX_AUTHOR);
        RawSocket.Handshake tooLong = RawSocket.handshake(app.port(), "/ws?name=" + longest + "n",
                java.util.Map.of("Origin", app.origin()));
        tooLong.socket().close();
        assertEquals(400, tooLong.status(), "A name longer than " + kata.chat.NewMessage.MAX_AUTHOR + " characters: 400"
                + " — but " + tooLong.describe());
        RawSocket.Handshake justFits = RawSocket.handshake(app.port(), "/ws?name=" + longest,
                java.util.Map.of("Origin", app.origin()));
        justFits.socket().close();
        assertEquals(101, justFits.status(), "A name of exactly " + kata.chat.NewMessage.MAX_AUTHOR + " characters is"
                + " allowed: 101 — but " + justFits.describe());
        Http.Response plain = Http.get(app.url("/ws?name=Bob"));
        assertEquals(426, plain.status(), "A plain GET /ws that asks for no upgrade: 426 Upgrade Required — but "
                + plain.describe());
    }

    private static String message(long id, String text) {
        return message(id, "Alice", text);
    }

    private static String message(long id, String author, String text) {
        return "{\"type\":\"message\",\"id\":" + id + ",\"author\":\"" + author + "\",\"text\":\"" + text + "\"}";
    }
}

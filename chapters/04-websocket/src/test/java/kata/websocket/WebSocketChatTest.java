package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.htmlunit.html.HtmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, each with one WebSocket to the server. */
class WebSocketChatTest {
    @RegisterExtension
    final Link link = new Link();
    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> {
        // Pages loaded through the link have its origin: the server is told to allow it, as a real server
        // is told the origin of the front door (a proxy, a CDN) its pages are served from.
        WebSocketServer server = WebSocketServer.start(0, Settings.defaults().allowOrigins(link.origin()));
        link.leadTo(server.port());
        return server;
    }, WebSocketServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private ChatPage open(String person) {
        ChatPage page = browsers.chat(person, app.url("/?name=" + person));
        PageSocket.waitUntilOpen(page);
        return page;
    }

    @Test
    @Lesson("§3 One order for everyone")
    void aliceAndBobWriteAtTheSameTimeAndBothSeeEverythingInOneOrder() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        for (int i = 1; i <= 5; i++) { // both sockets carry messages both ways at once
            alice.send("a" + i);
            bob.send("b" + i);
        }

        alice.waitForCount(10);
        bob.waitForCount(10);
        assertEquals(alice.messages(), bob.messages(),
                "Alice and Bob should see the same ten messages in the same order: the server's order, by id");
        assertEquals(List.of("Alice: a1", "Alice: a2", "Alice: a3", "Alice: a4", "Alice: a5"),
                only("Alice", bob.messages()), "Bob should see each of Alice's messages once, in the order she sent them");
        assertEquals(List.of("Bob: b1", "Bob: b2", "Bob: b3", "Bob: b4", "Bob: b5"),
                only("Bob", alice.messages()), "Alice should see each of Bob's messages once, in the order he sent them");
    }

    @Test
    @Lesson("§4 Full duplex: typing while messages flow")
    void bobSeesAliceTypingWhileMessagesFlow() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        alice.send("one");
        bob.waitForMessages("Alice: one");

        type(alice, "tw"); // keystrokes: the page sends {"type":"typing"}
        bob.send("go on"); // while Bob's message travels the other way

        bob.browser().waitUntil("Bob's page should show \"Alice is typing…\" in #typing",
                () -> bob.browser().texts("#typing").contains("Alice is typing…"),
                () -> "#typing " + bob.browser().texts("#typing"));
        alice.waitForMessages("Alice: one", "Bob: go on");
        assertEquals(List.of(""), alice.browser().texts("#typing"),
                "Alice's own typing is not news to Alice: the server sends \"typing\" to the others only");

        alice.send("two");
        bob.waitForMessages("Alice: one", "Bob: go on", "Alice: two");
        bob.browser().waitUntil("Bob's page should stop showing Alice as typing once her message arrived",
                () -> bob.browser().texts("#typing").equals(List.of("")),
                () -> "#typing " + bob.browser().texts("#typing"));
    }

    @Test
    @Lesson("§4 Full duplex: typing while messages flow")
    void alicesKeystrokesSendOneTypingFrameNotOnePerKey() {
        ChatPage alice = open("Alice");
        try (RawSocket bob = RawSocket.open(app.port(), "/ws?name=Bob", app.origin())) {
            Eventually.until("the server should count Alice's and Bob's sockets", () -> app.server().openSockets() == 2,
                    () -> app.server().openSockets() + " open sockets");
            String keys = "hello there, Bob";
            type(alice, keys);
            String first = bob.readText();
            assertTrue(first.contains("\"type\":\"typing\""), "Bob should hear that Alice is typing while she types,"
                    + " before any message — but his first frame was " + first);
            alice.browser().click("#send");

            int typing = 1;
            String frame;
            while (!(frame = bob.readText()).contains("\"type\":\"message\"")) {
                if (frame.contains("\"type\":\"typing\"")) {
                    typing++;
                }
            }
            assertTrue(typing < keys.length() / 2, "Alice pressed " + keys.length() + " keys in a moment and Bob got "
                    + typing + " typing frames: the page should say \"typing\" at most once a second, not on every key");
        }
    }

    @Test
    @Lesson("§7 Reconnect and resume")
    void bobDropsAndReconnectsAndEndsWithEveryMessageExactlyOnce() {
        ChatPage alice = open("Alice");
        ChatPage bob = browsers.chat("Bob", link.url("/?name=Bob&retry=20")); // Bob's network: the link
        PageSocket.waitUntilOpen(bob);
        alice.send("one");
        alice.send("two");
        bob.waitForMessages("Alice: one", "Alice: two");

        link.cut(); // Bob's Wi-Fi drops: no close frame, the TCP connection just ends
        bob.browser().waitUntil("Bob's page should notice that its socket closed",
                () -> !"open".equals(PageSocket.state(bob.browser())), () -> PageSocket.describe(bob.browser()));
        alice.send("three"); // said while Bob is away
        alice.send("four");
        alice.waitForMessages("Alice: one", "Alice: two", "Alice: three", "Alice: four");
        link.restore();

        PageSocket.waitUntilOpen(bob); // the page reconnects by itself, saying the last id it saw
        bob.browser().waitUntil("Bob's reconnecting handshake should be answered 101", () -> handshakes(bob).size() >= 2,
                () -> "handshakes " + handshakes(bob));
        List<String> handshakes = handshakes(bob);
        assertEquals("GET /ws?name=Bob&since=2 (WebSocket) → 101", handshakes.get(handshakes.size() - 1),
                "Bob's page had shown messages 1 and 2: it should reconnect with since=2, so that the server sends"
                        + " only what he missed (his handshakes: " + handshakes + ")");
        alice.send("five");
        bob.waitForMessages("Alice: one", "Alice: two", "Alice: three", "Alice: four", "Alice: five");
    }

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void closedSocketsAreRemoved() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        RawSocket carol = RawSocket.open(app.port(), "/ws?name=Carol", app.origin());
        RawSocket dave = RawSocket.open(app.port(), "/ws?name=Dave", app.origin());
        Eventually.until("the server should count 4 open sockets", () -> app.server().openSockets() == 4,
                () -> app.server().openSockets() + " open sockets");

        carol.sendClose(1000); // a clean close
        RawSocket.Ending answered = carol.readUntilClose(true);
        assertEquals(1000, answered.code(), "A close frame is answered with a close frame (RFC 6455 §5.5.1), then the"
                + " server ends the connection — but Carol's socket ended with " + answered.describe());
        dave.drop();           // a connection that just ends
        bob.browser().close(); // a tab closed
        Eventually.until("the server should remove the three closed sockets and count 1 (Alice's)",
                () -> app.server().openSockets() == 1, () -> app.server().openSockets() + " open sockets");

        alice.browser().close();
        Eventually.until("the server should count 0 open sockets once every page is gone",
                () -> app.server().openSockets() == 0, () -> app.server().openSockets() + " open sockets");
        carol.close();
    }

    private static List<String> handshakes(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.contains("(WebSocket) → 101")).toList();
    }

    private static void type(ChatPage page, String keys) {
        try {
            HtmlElement field = page.browser().page().querySelector("#text");
            field.type(keys);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> only(String author, List<String> messages) {
        List<String> theirs = new ArrayList<>();
        for (String message : messages) {
            if (message.startsWith(author + ": ")) {
                theirs.add(message);
            }
        }
        return theirs;
    }
}


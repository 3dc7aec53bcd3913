package kata.capstone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.ConcurrentRequests;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alice and Bob chat while the network between them and the server breaks one transport after another.
 * Whatever carries the chat, each of them sees every message exactly once, in order.
 */
class FallbackChatTest {
    static {
        ConcurrentRequests.install(); // a page's send must not wait behind its own held poll, as in a real browser
    }

    /** Long polls held briefly, so that nothing waits long at the end of a test. */
    static final FallbackServer.Options QUICK = FallbackServer.Options.defaults().withHold(Duration.ofSeconds(5));

    // The browsers first, so that they close last: the server's stop ends their held long polls at once.
    @RegisterExtension
    final Browsers browsers = new Browsers();
    @RegisterExtension
    final Served<FallbackServer> app = Served.by(() -> FallbackServer.start(0, QUICK), FallbackServer::port);

    /** A page that gives a transport one second to say hello, and waits a fifth of one when everything failed. */
    ChatPage open(String person) {
        return browsers.chat(person, app.url("/?name=" + person + "&patience=1000&pause=200"));
    }

    static void waitForTransport(ChatPage page, String transport) {
        Browser browser = page.browser();
        browser.waitUntil(page.person() + "'s page should say it receives by " + transport + " (#transport)",
                () -> browser.texts("#transport").equals(List.of(transport)),
                () -> "#transport says " + browser.texts("#transport") + ", #status says " + browser.texts("#status"));
    }

    private FallbackServer server() {
        return app.server();
    }

    @Test
    @Lesson("§4 Three transports, one shape")
    void withEverythingUpThePagesChatOverWebSocketAndComeBackToItAfterABlip() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForTransport(alice, "websocket");
        waitForTransport(bob, "websocket");
        alice.send("one");
        bob.waitForMessages("Alice: one");

        int cut = server().cutConnections(); // a blip: every open connection drops, nothing is refused
        assertEquals(2, cut, "both pages should have had one WebSocket open, and nothing else");
        bob.send("two, during the blip");

        String[] everything = {"Alice: one", "Bob: two, during the blip"};
        alice.waitForMessages(everything);
        bob.waitForMessages(everything);
        waitForTransport(alice, "websocket");
        waitForTransport(bob, "websocket");
        Eventually.until("the server should see the two pages back on WebSocket", server()::openWebSockets, 2);
        assertEquals(0, server().pollsAnswered(), "with WebSocket up, no page should long-poll");
        assertEquals(0, server().openEventStreams(), "with WebSocket up, no page should open an event stream");
    }

    @Test
    @Lesson("§6 The ladder")
    void whenAProxyRefusesTheUpgradeThePagesFallBackToServerSentEvents() {
        server().refuseWebSockets();
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        waitForTransport(alice, "eventsource");
        waitForTransport(bob, "eventsource");
        alice.send("Hello Bob");
        bob.waitForMessages("Alice: Hello Bob");
        bob.send("Hello Alice");

        alice.waitForMessages("Alice: Hello Bob", "Bob: Hello Alice");
        bob.waitForMessages("Alice: Hello Bob", "Bob: Hello Alice");
        assertEquals(2, server().openEventStreams(), "the server should hold one event stream per page");
        assertEquals(0, server().openWebSockets(), "no WebSocket gets through this proxy");
    }

    @Test
    @Lesson("§3 Open is not proof: wait for the hello")
    void whenAProxyBuffersTheStreamsThePagesFallBackToLongPolling() {
        server().refuseWebSockets();
        server().bufferEventStreams(); // the stream's headers arrive, so EventSource opens; its events never do
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");
        alice.send("Hello Bob");
        bob.waitForMessages("Alice: Hello Bob");
        bob.send("Hello Alice");

        alice.waitForMessages("Alice: Hello Bob", "Bob: Hello Alice");
        bob.waitForMessages("Alice: Hello Bob", "Bob: Hello Alice");
        assertTrue(server().pollsAnswered() >= 4, "the messages should have come by long polls, but the server answered "
                + server().pollsAnswered());
    }

    @Test
    @Lesson("§6 The ladder")
    void whenAProxyRefusesStreamsToo_thePagesFallBackToLongPolling() {
        server().refuseWebSockets();
        server().refuseEventStreams();
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");
        bob.send("still here");

        alice.waitForMessages("Bob: still here");
        bob.waitForMessages("Bob: still here");
    }

    @Test
    @Lesson("§5 One cursor")
    void messagesSentAcrossEverySwitchArriveExactlyOnceInOrder() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForTransport(alice, "websocket");
        waitForTransport(bob, "websocket");
        alice.send("1 by WebSocket");
        bob.waitForMessages("Alice: 1 by WebSocket");

        server().refuseWebSockets(); // a proxy appears: open sockets are cut, new upgrades refused
        bob.send("2 while the pages switch");
        waitForTransport(alice, "eventsource");
        waitForTransport(bob, "eventsource");
        alice.send("3 by event stream");
        alice.waitForMessages("Alice: 1 by WebSocket", "Bob: 2 while the pages switch", "Alice: 3 by event stream");

        server().bufferEventStreams(); // and now it buffers: open streams are cut, new ones never deliver
        bob.send("4 while the pages switch again");
        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");
        alice.send("5 by long poll");

        String[] everything = {"Alice: 1 by WebSocket", "Bob: 2 while the pages switch", "Alice: 3 by event stream",
                "Bob: 4 while the pages switch again", "Alice: 5 by long poll"};
        alice.waitForMessages(everything);
        bob.waitForMessages(everything);
    }

    @Test
    @Lesson("§5 One cursor")
    void aServerThatReplaysEverythingAfterASwitchStillShowsEachMessageOnce() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForTransport(bob, "websocket");
        alice.send("one");
        bob.waitForMessages("Alice: one");
        alice.send("two");
        bob.waitForMessages("Alice: one", "Alice: two");

        server().forgetCursors(); // from now on every connection replays the whole history
        server().refuseWebSockets();
        alice.send("three");

        waitForTransport(bob, "eventsource");
        bob.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        alice.waitForMessages("Alice: one", "Alice: two", "Alice: three");
    }

    @Test
    @Lesson("§7 Climbing back")
    void whenWebSocketsComeBackThePagesUseThemAtTheirNextReconnect() {
        server().refuseWebSockets();
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForTransport(alice, "eventsource");
        waitForTransport(bob, "eventsource");
        alice.send("by event stream");
        bob.waitForMessages("Alice: by event stream");

        server().allowWebSockets(); // the proxy is gone; the pages do not know yet
        server().cutConnections();  // their streams drop: reconnecting starts again from the top of the ladder
        bob.send("by WebSocket again");

        waitForTransport(alice, "websocket");
        waitForTransport(bob, "websocket");
        alice.waitForMessages("Alice: by event stream", "Bob: by WebSocket again");
        bob.waitForMessages("Alice: by event stream", "Bob: by WebSocket again");
        Eventually.until("the server should see both pages on WebSocket again", server()::openWebSockets, 2);
    }

    @Test
    @Lesson("§6 The ladder")
    void whenEverythingIsDownThePageSaysSoAndCatchesUpWhenItComesBack() {
        ChatPage alice = open("Alice");
        waitForTransport(alice, "websocket");
        server().refuseWebSockets();
        server().refuseEventStreams();
        server().refusePolls(); // the server is unreachable, whatever the page tries

        waitForTransport(alice, "offline");
        server().post(new kata.chat.NewMessage("Bob", "sent while Alice was offline"));
        server().allowPolls();

        waitForTransport(alice, "longpoll");
        alice.waitForMessages("Bob: sent while Alice was offline");
    }

    @Test
    @Lesson("§4 Three transports, one shape")
    void aMessageIsShownAsTextWhicheverTransportBringsIt() {
        server().refuseWebSockets();
        server().bufferEventStreams();
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForTransport(bob, "longpoll");

        alice.send("<img src=x onerror=\"document.title='owned'\">");

        bob.waitForMessages("Alice: <img src=x onerror=\"document.title='owned'\">");
        assertEquals(0, bob.browser().count("#messages img"), "a message must be shown as text, never parsed as HTML");
    }

    @Test
    @Lesson("§6 The ladder")
    void theWalkDownTheLadderOnTheWire() {
        server().refuseWebSockets();
        server().bufferEventStreams();
        ChatPage alice = open("Alice");
        waitForTransport(alice, "longpoll");
        alice.send("made it");
        alice.waitForMessages("Alice: made it");

        // One page's way down, as the server saw it: up to its first long poll (how many follow is timing).
        List<String> wire = server().wire();
        int firstPoll = wire.indexOf(wire.stream().filter(line -> line.startsWith("GET /messages")).findFirst()
                .orElseThrow(() -> new AssertionError("Alice's page never long-polled; the server saw " + wire)));
        kata.harness.Snapshot.verify(String.join("\n", wire.subList(0, firstPoll + 1)));
    }
}

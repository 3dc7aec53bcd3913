package kata.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, chatting through one open event stream per page. */
class SseChatTest {
    /** Short delays, so that a reconnection or a departure shows within a few tenths of a second. */
    static final SseServer.Options QUICK = SseServer.Options.defaults()
            .withRetry(Duration.ofMillis(100))
            .withHeartbeat(Duration.ofMillis(100));

    @RegisterExtension
    final Served<SseServer> app = Served.by(() -> SseServer.start(0, QUICK), SseServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private ChatPage open(String person) {
        return browsers.chat(person, app.url("/?name=" + person));
    }

    @Test
    @Lesson("§2 One stream per page")
    void bobSeesAlicesMessageWithoutReloading() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("Hello Bob");

        bob.waitForMessages("Alice: Hello Bob");
        assertEquals(1, pageLoads(bob.browser(), "Bob"), "Bob's page was loaded again: the message must come down its stream");
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void bobsBrowserReconnectsByItselfAndMissesNothing() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        alice.send("one");
        bob.waitForMessages("Alice: one");
        bob.send("two");
        bob.waitForMessages("Alice: one", "Bob: two");

        int cut = app.server().disconnectAll(); // as if the network broke, mid-conversation
        assertEquals(2, cut, "disconnectAll() should cut both open streams, Alice's and Bob's, and say so");
        alice.send("three"); // while Bob's browser is away
        alice.send("four");

        String[] everything = {"Alice: one", "Bob: two", "Alice: three", "Alice: four"};
        bob.waitForMessages(everything);
        alice.waitForMessages(everything);
        Browser bobs = bob.browser();
        bobs.waitUntil("Bob's browser should have opened its stream twice: once, and again by itself after the cut",
                () -> streamsOpened(bobs) >= 2, () -> bobs.recentExchanges(6));
        assertEquals(1, pageLoads(bobs, "Bob"), "Bob's page was reloaded: the browser reconnects by itself");
        assertEquals(List.of(everything), bob.messages(),
                "After reconnecting, Bob must see every message exactly once, in order: replay only what is after Last-Event-ID");
    }

    @Test
    @Lesson("§3 The event stream format")
    void aMessageOfSeveralLinesArrivesWhole() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("roses are red\nviolets are blue\n\nthe end");

        bob.waitForMessages("Alice: roses are red\nviolets are blue\n\nthe end");
    }

    @Test
    @Lesson("§5 Named events")
    void everyoneSeesWhoJoinsAndWhoLeaves() {
        ChatPage alice = open("Alice");
        waitForOnline(alice, "Online: Alice");
        ChatPage bob = open("Bob");
        waitForOnline(alice, "Online: Alice, Bob");
        waitForOnline(bob, "Online: Alice, Bob");

        bob.browser().close(); // Bob closes his browser: his stream's connection goes with it

        waitForOnline(alice, "Online: Alice");
        assertTrue(alice.messages().isEmpty(), "presence events are not chat messages: Alice's list should stay empty, was "
                + alice.messages());
    }

    private static void waitForOnline(ChatPage page, String expected) {
        page.browser().waitUntil(page.person() + "'s page should show \"" + expected + "\" (a presence event)",
                () -> page.browser().texts("#online").equals(List.of(expected)),
                () -> "\"" + String.join("", page.browser().texts("#online")) + "\"");
    }

    private static long streamsOpened(Browser browser) {
        return browser.exchanges().stream()
                .filter(e -> e.startsWith("GET /events") && e.contains("(EventSource) → 200")).count();
    }

    private static long pageLoads(Browser browser, String person) {
        return browser.exchanges().stream().filter(e -> e.startsWith("GET /?name=" + person + " ")).count();
    }
}

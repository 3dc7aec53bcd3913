package kata.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Eventually;
import kata.harness.Http;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, chatting through one open event stream per page. */
class SseChatTest {
    /** Short delays, so that a reconnection or a departure shows within a few tenths of a second. */
    final SseServer.Options quick = SseServer.Options.defaults()
            .withRetry(Duration.ofMillis(100))
            .withHeartbeat(Duration.ofMillis(100));

    @RegisterExtension
    final Served<SseServer> app = Served.by(() -> SseServer.start(0, quick), SseServer::port);
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
        // Deterministic: a message after the cut reaches Bob's page only after its error event, so a page that opens
        // a stream of its own in onerror has done so by now.
        assertEquals(1, bobs.eventSourcesCreated(), "Bob's page should construct one EventSource and let the browser "
                + "reconnect it: a page that opens another one on an error ends up with two streams, and gets every message twice");
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

    @Test
    @Lesson("§5 Named events")
    void bobStaysOnlineUntilHeClosesHisLastTab() {
        ChatPage alice = open("Alice");
        ChatPage bobsFirstTab = open("Bob");
        ChatPage bobsSecondTab = open("Bob");
        waitForOnline(alice, "Online: Alice, Bob");
        Eventually.until("three streams should be open", () -> app.server().subscriberCount() == 3,
                () -> "subscriberCount() = " + app.server().subscriberCount());

        bobsFirstTab.browser().close(); // one of Bob's two tabs: he is still here, in the other
        Eventually.until("the server should notice that Bob's first tab is gone", () -> app.server().subscriberCount() == 2,
                () -> "subscriberCount() = " + app.server().subscriberCount());
        alice.send("Still there, Bob?"); // comes down Alice's stream after anything sent to her before it
        alice.waitForMessages("Alice: Still there, Bob?");
        assertEquals(List.of("Online: Alice, Bob"), alice.browser().texts("#online"),
                "Bob closed one of his two tabs: he is still online in the other, so nobody should be told he left");

        bobsSecondTab.browser().close();
        waitForOnline(alice, "Online: Alice");
    }

    @Test
    @Lesson("§4 Reconnection and Last-Event-ID")
    void bobsPageStartsAfreshWhenTheServerRestarted() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        waitForOnline(alice, "Online: Alice, Bob");
        alice.send("before the restart");
        bob.waitForMessages("Alice: before the restart");
        alice.send("still before");
        bob.waitForMessages("Alice: before the restart", "Alice: still before"); // ids 3 and 4, after two presences
        int port = app.port();

        app.server().close(); // the server stops, and starts again on the same port, its history empty
        try (SseServer restarted = SseServer.start(port, quick)) {
            Eventually.until("both browsers should reconnect by themselves to the restarted server",
                    () -> restarted.subscriberCount() == 2, () -> "subscriberCount() = " + restarted.subscriberCount());

            // Carol writes; the ids start again from 1, so Bob's Last-Event-ID is no id of this server's.
            Http.Response posted = Http.postJson("http://localhost:" + port + "/messages",
                    "{\"author\":\"Carol\",\"text\":\"after the restart\"}");
            assertEquals(200, posted.status(), "POST /messages should publish — but " + posted.describe());

            // Not the messages from before any more (a reset), and Carol's message although its id is only 3.
            bob.waitForMessages("Carol: after the restart");
            alice.waitForMessages("Carol: after the restart");
        }
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

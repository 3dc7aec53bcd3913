package kata.jsonp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import kata.chat.NewMessage;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API goes down for a while, first answering errors, then answering nothing useful; the page must ride it out. */
class JsonpOutageTest {
    @RegisterExtension
    @Order(1)
    final Served<ChatApi> api = Served.by(() -> ChatApi.start(0), ChatApi::port).reachedAs("127.0.0.1");
    @RegisterExtension
    @Order(2)
    final Served<Outage> outage = Served.by(() -> Outage.inFrontOf(api.server()), Outage::port).reachedAs("127.0.0.1");
    @RegisterExtension
    @Order(3)
    final Served<ChatSite> site = Served.by(() -> ChatSite.start(0, api.server(), outage.origin()), ChatSite::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private ChatPage open(String person) {
        return browsers.chat(person, site.url("/?name=" + person + "&interval=100&timeout=400"));
    }

    @Test
    @Lesson("§7 When the API is down")
    void thePageRecoversAfterTheApiWasDownForAWhile() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        alice.send("before");
        bob.waitForMessages("Alice: before");

        outage.server().failing();
        alice.send("while failing");
        long beforeFailing = jsonpRequestsBy(bob);
        bob.browser().waitUntil("Bob's page should keep asking while the API answers 503 (a script that fails to load"
                        + " fires onerror, and that must start the next request)",
                () -> jsonpRequestsBy(bob) >= beforeFailing + 3,
                () -> (jsonpRequestsBy(bob) - beforeFailing) + " requests since the API went down");

        outage.server().mute();
        alice.send("while mute");
        long beforeMute = jsonpRequestsBy(bob);
        bob.browser().waitUntil("Bob's page should give up on a request whose callback never comes, and send the next one"
                        + " (only a timeout of its own notices: no error fires)",
                () -> jsonpRequestsBy(bob) >= beforeMute + 3,
                () -> (jsonpRequestsBy(bob) - beforeMute) + " requests since the API went mute");

        outage.server().recover();
        alice.send("after");

        bob.waitForMessages("Alice: before", "Alice: while failing", "Alice: while mute", "Alice: after");
        alice.waitForMessages("Alice: before", "Alice: while failing", "Alice: while mute", "Alice: after");
    }

    @Test
    @Lesson("§7 When the API is down")
    void aScriptThatFailsToLoadIsNoticedAtOnceNotAfterTheTimeout() {
        // A timeout far longer than this test waits: only the script's error event can move the page on.
        ChatPage bob = browsers.chat("Bob", site.url("/?name=Bob&interval=100&timeout=60000"));
        bob.browser().waitUntil("Bob's page should start asking the API", () -> jsonpRequestsBy(bob) >= 1,
                () -> "no request yet");

        outage.server().failing();
        long before = jsonpRequestsBy(bob);
        bob.browser().waitUntil("While the API answers 503, Bob's page should notice each failure at once (the"
                        + " <script> element's error event) and ask again, without waiting for its 60 s timeout",
                () -> jsonpRequestsBy(bob) >= before + 3,
                () -> (jsonpRequestsBy(bob) - before) + " requests since the API went down");
        bob.browser().waitUntil("Bob's page should tell him on its status line that the chat cannot be reached",
                () -> !bob.browser().texts("#status").get(0).isBlank(),
                () -> "the status line is empty");

        outage.server().recover();
        api.server().post(new NewMessage("Alice", "back again"));
        bob.waitForMessages("Alice: back again");
    }

    @Test
    @Lesson("§5 The client: one script, one callback, per request")
    void oneRequestAtATimeEvenWhenAnswersAreSlowToFail() {
        ChatPage bob = browsers.chat("Bob", site.url("/?name=Bob&interval=100&timeout=500"));
        bob.browser().waitUntil("Bob's page should start asking the API", () -> jsonpRequestsBy(bob) >= 1,
                () -> "no request yet");

        outage.server().mute(); // every answer now loads and never calls back: each request lasts until its timeout
        long before = jsonpRequestsBy(bob);
        int[] mostAtOnce = {0};
        bob.browser().waitUntil("Bob's page should give up on each silent request after its timeout, and then ask again",
                () -> {
                    mostAtOnce[0] = Math.max(mostAtOnce[0], bob.browser().count("script[src*='/jsonp']"));
                    return jsonpRequestsBy(bob) >= before + 3;
                },
                () -> (jsonpRequestsBy(bob) - before) + " requests since the API went mute");
        assertTrue(mostAtOnce[0] <= 1, "Bob's page had " + mostAtOnce[0] + " JSONP requests under way at once while"
                + " the API was slow: start the next request when the last one ended (setTimeout in its completion),"
                + " not on a fixed setInterval, which piles requests up exactly when the API struggles");
    }

    private static long jsonpRequestsBy(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("GET /jsonp")).count();
    }
}

package kata.jsonp;

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

    private static long jsonpRequestsBy(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("GET /jsonp")).count();
    }
}

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

/**
 * The API goes down for a while, first answering errors, then answering nothing useful; the page must ride it out.
 * The pages' timers are the test's ({@link ClockedPages}): "after its timeout" is the test letting that time pass.
 */
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
    private final ClockedPages pages = new ClockedPages(browsers);

    /** A page that asks every {@value ClockedPages#INTERVAL} ms of its clock, and gives a request {@code timeout} ms. */
    private ChatPage open(String person, long timeout) {
        return pages.open(person, site.url("/?name=" + person + "&interval=" + ClockedPages.INTERVAL + "&timeout=" + timeout));
    }

    @Test
    @Lesson("§7 When the API is down")
    void thePageRecoversAfterTheApiWasDownForAWhile() {
        long timeout = 400;
        ChatPage alice = open("Alice", timeout);
        ChatPage bob = open("Bob", timeout);
        pages.sends(alice, "before");
        pages.waitForMessages(bob, "Alice: before");

        outage.server().failing();
        pages.sends(alice, "while failing");
        for (int i = 0; i < 3; i++) {
            pages.asksAgain(bob, "Bob's page should keep asking while the API answers 503 (a script that fails to load"
                    + " fires onerror, and that must start the next request): " + i + " requests since the API went down");
        }

        outage.server().mute();
        pages.sends(alice, "while mute");
        for (int i = 0; i < 3; i++) {
            pages.asksAgain(bob, "Bob's page should give up on a request whose callback never comes, and send the next"
                    + " one (only a timeout of its own notices: no error fires): " + i + " requests since the API went mute");
            pages.clock(bob).pass(timeout); // the answer loads, and its callback never comes: the request's time runs out
        }

        outage.server().recover();
        pages.sends(alice, "after");

        pages.waitForMessages(bob, "Alice: before", "Alice: while failing", "Alice: while mute", "Alice: after");
        pages.waitForMessages(alice, "Alice: before", "Alice: while failing", "Alice: while mute", "Alice: after");
    }

    @Test
    @Lesson("§7 When the API is down")
    void aScriptThatFailsToLoadIsNoticedAtOnceNotAfterTheTimeout() {
        // A timeout far longer than the page's time in this test: only the script's error event can move the page on.
        ChatPage bob = open("Bob", 60_000);
        pages.waitUntil(bob, "Bob's page should start asking the API", () -> jsonpRequestsBy(bob) >= 1,
                () -> "no request yet");

        outage.server().failing();
        for (int i = 0; i < 3; i++) {
            pages.asksAgain(bob, "While the API answers 503, Bob's page should notice each failure at once (the"
                    + " <script> element's error event) and ask again, without waiting for its 60 s timeout: " + i
                    + " requests since the API went down");
        }
        bob.browser().waitUntil("Bob's page should tell him on its status line that the chat cannot be reached",
                () -> !bob.browser().texts("#status").get(0).isBlank(),
                () -> "the status line is empty");

        outage.server().recover();
        api.server().post(new NewMessage("Alice", "back again"));
        pages.waitForMessages(bob, "Alice: back again");
    }

    @Test
    @Lesson("§5 The client: one script, one callback, per request")
    void oneRequestAtATimeEvenWhenAnswersAreSlowToFail() {
        ChatPage bob = open("Bob", 500);
        pages.waitUntil(bob, "Bob's page should start asking the API", () -> jsonpRequestsBy(bob) >= 1,
                () -> "no request yet");

        outage.server().mute(); // every answer now loads and never calls back: each request lasts until its timeout
        long before = jsonpRequestsBy(bob);
        int[] mostAtOnce = {0};
        pages.waitUntil(bob, "Bob's page should give up on each silent request after its timeout, and then ask again",
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

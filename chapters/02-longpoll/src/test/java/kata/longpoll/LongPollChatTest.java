package kata.longpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import kata.chat.Answer;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.ConcurrentRequests;
import kata.harness.Http;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, chatting through the long-polling server. */
class LongPollChatTest {
    static {
        ConcurrentRequests.install(); // a page's send must not wait behind its own held poll, as in a real browser
    }

    /** Longer than every wait in these tests: what arrives in time was woken, not timed out. */
    static final Duration LONG_HOLD = Duration.ofSeconds(20);
    static final Duration SHORT_HOLD = Duration.ofMillis(500);

    private final Outage outage = new Outage();

    @RegisterExtension
    final Served<LongPollServer> app = Served.by(
            () -> LongPollServer.options().hold(LONG_HOLD).wrappedBy(outage).start(), LongPollServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private ChatPage open(String person) {
        return open(person, app);
    }

    /** In these tests the page retries 100 ms after a first error, then 200, 400, … up to 1.6 s. */
    private ChatPage open(String person, Served<LongPollServer> served) {
        return browsers.chat(person, served.url("/?name=" + person + "&retry=100&maxRetry=1600"));
    }

    private void awaitHeld(int polls, ChatPage page) {
        awaitHeld(polls, page, app.server());
    }

    private static void awaitHeld(int polls, ChatPage page, LongPollServer server) {
        page.browser().waitUntil("The server should hold " + polls + " poll" + (polls == 1 ? "" : "s")
                        + " (waitingCount() = " + polls + "): a poll with nothing new waits for news",
                () -> server.waitingCount() == polls,
                () -> "waitingCount() is " + server.waitingCount() + "; " + page.person() + "'s page made these requests: "
                        + page.browser().recentExchanges(6));
    }

    private void post(String author, String text) {
        Http.Response response = Http.postJson(app.url("/messages"), "{\"author\":\"" + author + "\",\"text\":\"" + text + "\"}");
        assertEquals(200, response.status(), "POST /messages should store the message — but " + response.describe());
    }

    @Test
    @Lesson("§2 Waking the held polls")
    void bobSeesAlicesMessageLongBeforeTheHoldEnds() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        awaitHeld(2, bob);

        alice.send("Hello Bob");

        bob.waitForMessages("Alice: Hello Bob"); // within 5 s, of a 20 s hold: the message woke the poll
        alice.waitForMessages("Alice: Hello Bob");
        bob.send("Hi Alice");
        alice.waitForMessages("Alice: Hello Bob", "Bob: Hi Alice");
        bob.waitForMessages("Alice: Hello Bob", "Bob: Hi Alice");
    }

    @Test
    @Lesson("§3 The since cursor loses nothing")
    void aBurstOfFiveHundredMessagesReachesBobCompleteInOrderEachOnce() {
        ChatPage bob = open("Bob");
        awaitHeld(1, bob);
        String[] burst = IntStream.rangeClosed(1, 500).mapToObj(i -> "Alice: message " + i).toArray(String[]::new);

        for (int i = 1; i <= 500; i++) {
            post("Alice", "message " + i);
        }

        bob.waitForMessages(burst);
    }

    @Test
    @Lesson("§4 The hold timeout")
    void aHoldThatTimesOutIsAnsweredEmptyAndThePageAsksAgain() {
        try (LongPollServer shortHold = LongPollServer.start(0, SHORT_HOLD)) {
            ChatPage bob = browsers.chat("Bob", "http://localhost:" + shortHold.port() + "/?name=Bob&retry=100");
            Browser browser = bob.browser();

            browser.waitUntil("Each hold of " + SHORT_HOLD.toMillis() + " ms should end with 200 [] and the page should ask again at once",
                    () -> timedOutPolls(browser) >= 3,
                    () -> browser.recentExchanges(6));
            assertTrue(browser.exchanges().stream().filter(e -> e.startsWith("GET /messages")).allMatch(e -> e.endsWith("→ 200")),
                    "A hold that times out is no error: every poll should be answered 200 — " + browser.recentExchanges(6));

            Http.Response sent = Http.postJson("http://localhost:" + shortHold.port() + "/messages", "{\"author\":\"Alice\",\"text\":\"still there?\"}");
            assertEquals(200, sent.status(), sent.describe());
            bob.waitForMessages("Alice: still there?");
            browser.close(); // before its server stops, so that the page does not knock on a closing door
        }
    }

    @Test
    @Lesson("§7 The page backs off")
    void thePageBacksOffWhileTheServerAnswers503AndRecoversAfter() {
        ChatPage bob = open("Bob");
        awaitHeld(1, bob);

        outage.start(Duration.ofSeconds(3)); // every poll in the next 3 s is answered 503; posts still go through
        post("Alice", "before"); // wakes Bob's held poll: his next one meets the outage
        bob.waitForMessages("Alice: before");
        post("Alice", "after");  // waits in the log until Bob's page gets through again

        bob.browser().waitUntil("Bob's page should get through once the outage is over and show both messages",
                Duration.ofSeconds(8),
                () -> notHammering(bob) && bob.messages().equals(List.of("Alice: before", "Alice: after")),
                () -> bob.messages() + " after " + outage.refused.size() + " refused polls");

        List<Long> refused = List.copyOf(outage.refused);
        long firstHalf = refused.stream().filter(at -> at < 1500).count();
        long secondHalf = refused.size() - firstHalf;
        assertTrue(refused.size() >= 3, "Bob's page should retry during the outage (100 ms, then 200, 400, …): it made "
                + refused.size() + " polls in 3 s. " + bob.browser().recentExchanges(6));
        assertTrue(secondHalf < firstHalf, "Bob's page should wait longer after each error, so it asks less and less often: "
                + firstHalf + " polls in the outage's first 1.5 s and " + secondHalf + " in its last 1.5 s");
    }

    /** With waits of 100 ms, 200, 400, … a 3 s outage sees about six polls; ten is plenty. */
    private boolean notHammering(ChatPage page) {
        int refused = outage.refused.size();
        assertTrue(refused <= 10, page.person() + "'s page hammered the server: " + refused + " polls so far in a 3 s outage "
                + "(each error should double the wait before the next poll: 100 ms, 200, 400, … up to the cap). "
                + page.browser().recentExchanges(4));
        return true;
    }

    private static long timedOutPolls(Browser browser) {
        return browser.exchanges().stream().filter(e -> e.equals("GET /messages?since=0 → 200")).count();
    }

    /**
     * A stand-in for a proxy in front of the server that, for a while, answers every poll with
     * 503 Service Unavailable. It notes when each refused poll arrived, in ms since the outage began.
     */
    static final class Outage implements HandlerWrapper {
        final List<Long> refused = new CopyOnWriteArrayList<>();
        private volatile long start;
        private volatile long end;

        void start(Duration length) {
            start = System.nanoTime();
            end = start + length.toNanos();
        }

        @Override
        public HttpHandler wrap(HttpHandler next) {
            return exchange -> {
                long now = System.nanoTime();
                boolean poll = exchange.getRequestMethod().equals(Methods.GET) && exchange.getRequestPath().equals("/messages");
                if (poll && start != 0 && now - end < 0) {
                    refused.add(Duration.ofNanos(now - start).toMillis());
                    Answer.error(exchange, 503, "the test's outage");
                    return;
                }
                next.handleRequest(exchange);
            };
        }
    }
}

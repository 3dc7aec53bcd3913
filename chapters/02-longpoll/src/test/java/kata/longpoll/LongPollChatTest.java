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
import kata.harness.PageClock;
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
    /** A hold that times out at once, on a person's scale: a poll answered empty, and the next, in a blink. */
    static final Duration SHORT_HOLD = Duration.ofMillis(100);
    /** Long enough for errors in a row (the page waits 50–100 ms after the first, 100–200 after the second, …), short for a test. */
    static final Duration OUTAGE = Duration.ofMillis(300);

    private final Outage outage = new Outage();

    @RegisterExtension
    final Served<LongPollServer> app = Served.by(
            () -> LongPollServer.options().hold(LONG_HOLD).wrappedBy(outage).start(), LongPollServer::port)
            .stoppingTaughtIn("§1 Holding a request");
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
                    () -> timedOutPolls(browser) >= 2,
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

        outage.start(OUTAGE); // every poll in the next 300 ms is answered 503; posts still go through
        post("Alice", "before"); // wakes Bob's held poll: his next one meets the outage
        bob.waitForMessages("Alice: before");
        post("Alice", "after");  // waits in the log until Bob's page gets through again

        // Real time, real timers: the page must come back by itself. How long it waits after each error is
        // eachErrorInARowDoublesThePagesWaitUpToItsCapWithJitter's, with the page's clock in the test's hand.
        bob.browser().waitUntil("Bob's page should get through once the outage is over and show both messages",
                Duration.ofSeconds(15),
                () -> notHammering(bob) && bob.messages().equals(List.of("Alice: before", "Alice: after")),
                () -> bob.messages() + " after " + outage.refused.size() + " refused polls");
    }

    @Test
    @Lesson("§7 The page backs off")
    void eachErrorInARowDoublesThePagesWaitUpToItsCapWithJitter() {
        ChatPage bob = open("Bob");
        awaitHeld(1, bob);
        PageClock clock = PageClock.take(bob.browser()); // the page's timers and Math.random() are the test's now

        outage.start(Duration.ofMinutes(1));
        clock.random(0);
        post("Alice", "before"); // wakes Bob's held poll: his next one meets the outage
        bob.waitForMessages("Alice: before");
        List<Long> low = errorsInARow(bob, clock, 7, 0);

        outage.stop();
        clock.fireNext(); // the pending retry gets through and is held
        awaitHeld(1, bob);
        post("Alice", "after");
        bob.waitForMessages("Alice: before", "Alice: after");
        awaitHeld(1, bob);

        outage.start(Duration.ofMinutes(1));
        clock.random(0.999);
        int refused = outage.refused.size();
        post("Alice", "again");
        bob.waitForMessages("Alice: before", "Alice: after", "Alice: again");
        List<Long> high = errorsInARow(bob, clock, 7, refused);

        StringBuilder expected = new StringBuilder();
        boolean right = true;
        for (int n = 1; n <= 7; n++) {
            long ceiling = Math.min(1600, 100L << (n - 1));
            expected.append(n == 1 ? "" : ", ").append(ceiling / 2).append("–").append(ceiling);
            right &= within(low.get(n - 1), ceiling) && within(high.get(n - 1), ceiling);
        }
        String seen = "after errors 1 to 7 in a row it waited " + low + " ms with Math.random() at 0, and " + high
                + " ms with Math.random() near 1";
        assertTrue(right, "Bob's page (retry=100, maxRetry=1600) should wait, after the n-th error in a row, a random time "
                + "between half and all of min(1600, 100 × 2^(n−1)) ms: " + expected + " — but " + seen);
        for (int n = 1; n <= 7; n++) {
            long ceiling = Math.min(1600, 100L << (n - 1));
            assertTrue(Math.abs(high.get(n - 1) - low.get(n - 1)) >= ceiling / 4, "Bob's page should add jitter — a random "
                    + "part, from half the wait to all of it — so that pages cut off together do not come back together; but "
                    + seen + " (its wait does not move with Math.random())");
        }
    }

    @Test
    @Lesson("§7 The page backs off")
    void afterASuccessThePagesWaitStartsOverFromTheFirstRetry() {
        ChatPage bob = open("Bob");
        awaitHeld(1, bob);
        PageClock clock = PageClock.take(bob.browser());
        clock.random(0.999);

        outage.start(Duration.ofMinutes(1));
        post("Alice", "one");
        bob.waitForMessages("Alice: one");
        List<Long> first = errorsInARow(bob, clock, 4, 0); // 100, 200, 400, 800 ms

        outage.stop();
        clock.fireNext(); // the retry gets through: a success
        awaitHeld(1, bob);
        post("Alice", "two");
        bob.waitForMessages("Alice: one", "Alice: two");
        awaitHeld(1, bob);

        outage.start(Duration.ofMinutes(1));
        int refused = outage.refused.size();
        post("Alice", "three");
        bob.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        long afterSuccess = errorsInARow(bob, clock, 1, refused).get(0);

        assertTrue(afterSuccess <= 101, "A successful poll ends the run of errors: the next error is the first of a new "
                + "run, and Bob's page should wait at most the first retry (100 ms) again — but it waited " + afterSuccess
                + " ms (the errors before the success made it wait " + first + " ms)");
    }

    /**
     * Lets {@code errors} polls of the page fail one after the other (the outage answers each 503) and returns
     * how long the page asked to wait after each, in ms: it must set a timer after each error and poll again
     * only when that timer fires. The last timer is left pending. {@code refusedBefore}: the polls the outage
     * had refused before the first of these errors.
     */
    private List<Long> errorsInARow(ChatPage page, PageClock clock, int errors, int refusedBefore) {
        List<Long> delays = new java.util.ArrayList<>();
        for (int n = 1; n <= errors; n++) {
            int step = n;
            int expected = refusedBefore + n;
            page.browser().waitUntil(page.person() + "'s page should wait before it polls again after error " + n
                            + " in a row (a setTimeout with the delay)",
                    () -> {
                        assertTrue(outage.refused.size() <= expected, page.person() + "'s page polled again at once after "
                                + "an error, without waiting: " + (outage.refused.size() - refusedBefore) + " polls refused "
                                + "where " + step + " were expected. Wait before the next poll: firstRetry, then twice as long. "
                                + page.browser().recentExchanges(4));
                        return outage.refused.size() == expected && !clock.pending().isEmpty();
                    },
                    () -> outage.refused.size() - refusedBefore + " polls refused, timers pending: " + clock.pending());
            List<Long> pending = clock.pending();
            assertEquals(1, pending.size(), page.person() + "'s page should set one timer for its next poll, not " + pending);
            delays.add(pending.get(0));
            if (n < errors) {
                clock.fireNext();
            }
        }
        return delays;
    }

    private static boolean within(long delay, long ceiling) {
        return delay >= ceiling / 2 - 1 && delay <= ceiling + 1;
    }

    /**
     * After waits of at least 50 ms, then 100, 200, … (half of 100, 200, 400, … at the least), a 300 ms outage sees at
     * most four polls; ten is plenty (a page that asks again at once makes a poll every few ms).
     */
    private boolean notHammering(ChatPage page) {
        int refused = outage.refused.size();
        assertTrue(refused <= 10, page.person() + "'s page hammered the server: " + refused + " polls so far in an outage of "
                + OUTAGE.toMillis() + " ms "
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

        void stop() {
            end = System.nanoTime();
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

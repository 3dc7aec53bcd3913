package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kata.harness.Browser;

import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.PageClock;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, chatting through the polling server. */
class PollingChatTest {
    @RegisterExtension
    final Served<PollingServer> app = Served.by(() -> PollingServer.start(0), PollingServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** The page polls every 100 ms in these tests, so a message shows within a few tenths of a second. */
    private ChatPage open(String person) {
        return browsers.chat(person, app.url("/?name=" + person + "&interval=100"));
    }

    @Test
    @Lesson("§2 Sending and receiving")
    void bobSeesAlicesMessageWithoutReloading() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("Hello Bob");

        bob.waitForMessages("Alice: Hello Bob");
    }

    @Test
    @Lesson("§3 The since cursor")
    void messagesArriveInOrderEachOnceForEveryone() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("one");
        alice.waitForMessages("Alice: one");
        bob.send("two");
        bob.waitForMessages("Alice: one", "Bob: two");
        alice.send("three");

        String[] everything = {"Alice: one", "Bob: two", "Alice: three"};
        bob.waitForMessages(everything);
        alice.waitForMessages(everything);
        // Several more polls find nothing new: nothing may be shown twice.
        bob.browser().waitUntil("Bob's page should keep polling", () -> pollsBy(bob) >= 5, () -> pollsBy(bob) + " polls");
        assertEquals(java.util.List.of(everything), bob.messages(),
                "Bob's page showed a message twice: each poll must ask only for what is newer than the last id shown");
    }

    @Test
    @Lesson("§5 Pitfalls: text is not HTML")
    void messageTextIsShownAsTextAndNeverRunAsHtml() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        String attack = "<img src=x onerror=\"window.pwned=1\"><b>bold?</b>";

        alice.send(attack);

        bob.waitForMessages("Alice: " + attack);
        assertEquals(0, bob.browser().count("#messages img, #messages b"),
                "Bob's page turned Alice's text into HTML elements: show it with textContent, never innerHTML");
        assertEquals("undefined", bob.browser().eval("typeof window.pwned"), "Alice's text ran code in Bob's page");
    }

    @Test
    @Lesson("§3 The since cursor")
    void bobsPollsAskOnlyForWhatIsNewerThanTheLastMessageHeShows() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        alice.send("one");
        alice.waitForMessages("Alice: one");
        alice.send("two");
        bob.waitForMessages("Alice: one", "Alice: two");
        int shownAt = bob.browser().exchanges().size();

        bob.browser().waitUntil("Bob's page should keep polling", () -> bob.browser().exchanges().size() >= shownAt + 3,
                () -> bob.browser().recentExchanges(4));
        List<String> later = bob.browser().exchanges().subList(shownAt, shownAt + 3);
        assertEquals(List.of("GET /messages?since=2 → 200", "GET /messages?since=2 → 200", "GET /messages?since=2 → 200"),
                later, "Bob's page shows messages 1 and 2: each of its next polls should ask only for what is newer than "
                        + "2 (since=2), not for the whole log again");
    }

    @Test
    @Lesson("§5 Pitfalls: one poll at a time")
    void theNextPollStartsOnlyWhenTheLastOneHasBeenAnswered() {
        Browser browser = browsers.start("Bob");
        PageClock clock = PageClock.takeBeforeLoading(browser); // the page's timers are the test's from its first line
        ChatPage bob = new ChatPage(browser.open(app.url("/?name=Bob&interval=100")));
        ChatPage alice = open("Alice");
        alice.send("hello");
        alice.waitForMessages("Alice: hello"); // stored: Bob's next poll will bring it
        clock.awaitTimer("Bob's page should wait an interval before its next poll");
        clock.fireNext();
        bob.waitForMessages("Alice: hello");
        clock.awaitTimer("Bob's page should wait an interval before its next poll");

        clock.slowNetwork(true); // from now on the server is slow to answer
        int before = clock.fetches("/messages");
        clock.fireNext(); // the interval is over: the next poll goes out, and hangs
        browser.waitUntil("Bob's page should send its next poll when its timer fires",
                () -> clock.fetches("/messages") == before + 1, () -> clock.fetches("/messages") - before + " polls sent");
        for (int i = 0; i < 5 && !clock.pending().isEmpty(); i++) {
            clock.fireNext(); // however much time passes…
        }
        assertEquals(before + 1, clock.fetches("/messages"), "While a poll is still on its way, Bob's page should not "
                + "start another: polls pile up on a slow server and can answer out of order. Start the next poll when "
                + "the last one has ended (setTimeout at its end), not on a fixed beat (setInterval)");

        clock.slowNetwork(false);
        alice.send("still there?");
        alice.waitForMessages("Alice: hello", "Alice: still there?");
        clock.awaitTimer("Bob's page should set its next poll once the slow one has been answered");
        clock.fireNext();
        bob.waitForMessages("Alice: hello", "Alice: still there?");
    }

    @Test
    @Lesson("§5 Pitfalls: an error must not stop the loop")
    void aFailedPollIsTriedAgainAfterTheIntervalNeitherAtOnceNorNever() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        alice.send("before");
        bob.waitForMessages("Alice: before");
        PageClock clock = PageClock.take(bob.browser());
        clock.awaitTimer("Bob's page should wait an interval before its next poll");

        clock.offline(true); // Bob's network drops
        for (int error = 1; error <= 3; error++) {
            int polls = clock.fetches("/messages");
            clock.fireNext();
            int n = error;
            bob.browser().waitUntil("After failed poll " + n + ", Bob's page should wait an interval (setTimeout) and "
                            + "then try again: an error must not stop the loop",
                    () -> {
                        assertTrue(clock.fetches("/messages") <= polls + 1, "Bob's page tried again at once after a "
                                + "failed poll, without waiting: a page per tab asking as fast as it can, just when the "
                                + "server or the network struggles. Wait the interval, as after a success");
                        return !clock.pending().isEmpty();
                    },
                    () -> "no timer set after " + (clock.fetches("/messages") - polls) + " failed poll(s); status line: "
                            + bob.browser().texts("#status"));
            assertEquals(polls + 1, clock.fetches("/messages"), "One failed poll, one poll: no extra request");
            assertEquals(List.of(100L), clock.pending(), "After a failed poll, Bob's page should wait the same interval "
                    + "(100 ms here) before the next one, with one timer");
        }

        clock.offline(false);
        alice.send("after");
        alice.waitForMessages("Alice: before", "Alice: after");
        clock.fireNext();
        bob.waitForMessages("Alice: before", "Alice: after");
    }

    private static long pollsBy(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("GET /messages")).count();
    }
}

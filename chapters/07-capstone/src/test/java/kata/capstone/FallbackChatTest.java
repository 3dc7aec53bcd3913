package kata.capstone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.ConcurrentRequests;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.PageClock;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alice and Bob chat while the network between them and the server breaks one transport after another.
 * Whatever carries the chat, each of them sees every message exactly once, in order.
 *
 * <p>Each page's clock is the test's ({@link PageClock}): the page's patience runs out, and its pause after a
 * failed round passes, when the story says so — not after real seconds, and never early on a slow machine.
 */
class FallbackChatTest {
    static {
        ConcurrentRequests.install(); // a page's send must not wait behind its own held poll, as in a real browser
    }

    /**
     * Long polls held longer than any wait of a test ({@link Browser#DEADLINE}): a page gets onto long polling in
     * time by its hello (the answer at once to its first poll, {@code wait=0}), never by a held poll that times
     * out — its patience, on its clock, would have run out long before. (At the end of a test the server's stop
     * ends the polls it holds.)
     */
    static final FallbackServer.Options HOLD_LONGER_THAN_A_WAIT = FallbackServer.Options.defaults()
            .withHold(Browser.DEADLINE.multipliedBy(4));

    // The browsers first, so that they close last: the server's stop ends their held long polls at once.
    @RegisterExtension
    final Browsers browsers = new Browsers();
    @RegisterExtension
    final Served<FallbackServer> app = Served.by(() -> FallbackServer.start(0, HOLD_LONGER_THAN_A_WAIT), FallbackServer::port);

    /** How long a page gives a transport to say hello, and waits when everything failed: on the page's clock. */
    static final long PATIENCE = 2000;
    static final long PAUSE = 200;

    private final Map<ChatPage, PageClock> clocks = new IdentityHashMap<>();

    /** A page that gives a transport two seconds to say hello, and waits a fifth of one when everything failed. */
    ChatPage open(String person) {
        return open(person, "patience=" + PATIENCE + "&pause=" + PAUSE);
    }

    /** A page whose timers are the test's from its first line: they fire when the test lets the page's time pass. */
    ChatPage open(String person, String settings) {
        Browser browser = browsers.start(person);
        PageClock clock = PageClock.takeBeforeLoading(browser);
        ChatPage page = new ChatPage(browser.open(app.url("/?name=" + person + "&" + settings)));
        clocks.put(page, clock);
        return page;
    }

    private PageClock clock(ChatPage page) {
        return clocks.get(page);
    }

    /**
     * Every page's event stream opened behind the buffering proxy and says nothing: on each page's clock its
     * patience passes, and each page should give up on its stream. {@code pages}: every page of the test, each
     * with its stream held at the server (until then a page may still be trying a rung above).
     */
    private void theirPatienceRunsOut(ChatPage... pages) {
        for (ChatPage page : pages) {
            // Only once every page has seen its stream open, and has run what its page does then: a page that takes
            // the open for the hello must show it, whatever the machine's speed.
            page.browser().waitUntil("the pages' event streams should reach the server, which holds them open and sends "
                            + "nothing (a buffering proxy): " + pages.length + " of them, opened at their pages",
                    () -> server().heldEventStreams() >= pages.length && streamsOpenedAt(pages) == streamsTheServerAnswered()
                            && idle(page),
                    () -> server().heldEventStreams() + " held; " + page.person() + "'s #transport says "
                            + page.browser().texts("#transport"));
        }
        for (ChatPage page : pages) {
            PageClock clock = clock(page);
            page.browser().waitUntil(page.person() + "'s event stream opened and says nothing: the page should wait for "
                            + "its hello no longer than its patience (" + PATIENCE + " ms) — a timer (setTimeout) that "
                            + "the hello clears, and that gives up on the stream if it fires first",
                    () -> clock.pending().contains(PATIENCE),
                    () -> "the page's timers pending (ms): " + clock.pending() + "; #transport says "
                            + page.browser().texts("#transport"));
            clock.pass(PATIENCE); // two seconds, on the page's clock
        }
    }

    /** The event streams the server answered with 200, buffered or not, to every page. */
    private long streamsTheServerAnswered() {
        return server().wire().stream().filter(line -> line.startsWith("GET /events") && line.contains("→ 200")).count();
    }

    /** The event streams these pages saw answered with 200 (each is seen once its open is queued for the page). */
    private static long streamsOpenedAt(ChatPage... pages) {
        long opened = 0;
        for (ChatPage page : pages) {
            opened += page.browser().exchanges().stream().filter(line -> line.contains("(EventSource) → 200")).count();
        }
        return opened;
    }

    /** Nothing queued for the page's script to run (its own timers are its clock's, and wait for the test). */
    private static boolean idle(ChatPage page) {
        var html = page.browser().page();
        synchronized (html) { // the page's scripts run under this lock
            return html.getEnclosingWindow().getJobManager().getJobCount() == 0;
        }
    }

    /** Every transport failed and the page is offline: its pause after this first failed round passes. */
    private void itsPausePasses(ChatPage page) {
        PageClock clock = clock(page);
        page.browser().waitUntil(page.person() + "'s page is offline: it should try again after a pause (a setTimeout of "
                        + "at most pause=" + PAUSE + " ms after the first failed round), neither at once nor never",
                () -> !clock.pending().isEmpty(),
                () -> "no timer pending; #status says " + page.browser().texts("#status"));
        clock.pass(PAUSE);
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

        theirPatienceRunsOut(alice, bob);
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
        // Two pages' POSTs race on two connections: "3" is sent once "2" is in the chat, so the order is the test's.
        bob.waitForMessages("Alice: 1 by WebSocket", "Bob: 2 while the pages switch");
        alice.send("3 by event stream");
        alice.waitForMessages("Alice: 1 by WebSocket", "Bob: 2 while the pages switch", "Alice: 3 by event stream");

        server().bufferEventStreams(); // and now it buffers: open streams are cut, new ones never deliver
        bob.send("4 while the pages switch again");
        theirPatienceRunsOut(alice, bob);
        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");
        bob.waitForMessages("Alice: 1 by WebSocket", "Bob: 2 while the pages switch", "Alice: 3 by event stream",
                "Bob: 4 while the pages switch again");
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
        itsPausePasses(alice);

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
        theirPatienceRunsOut(alice, bob);
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
        theirPatienceRunsOut(alice);
        waitForTransport(alice, "longpoll");
        alice.send("made it");
        alice.waitForMessages("Alice: made it");

        // One page's way down, as the server saw it: up to its first long poll (how many follow is timing).
        List<String> wire = server().wire();
        int firstPoll = wire.indexOf(wire.stream().filter(line -> line.startsWith("GET /messages")).findFirst()
                .orElseThrow(() -> new AssertionError("Alice's page never long-polled; the server saw " + wire)));
        Snapshot.verify(String.join("\n", wire.subList(0, firstPoll + 1)));
    }

    @Test
    @Lesson("§3 Open is not proof: wait for the hello")
    void onceItsHelloArrivedThePageKeepsNoPatienceTimerRunning() {
        ChatPage alice = open("Alice");
        waitForTransport(alice, "websocket");
        alice.send("one");
        alice.waitForMessages("Alice: one");
        waitForNoTimer(alice, "after its first hello");

        server().cutConnections(); // a blip: the page connects again, and that attempt has a patience timer of its own
        Browser browser = alice.browser();
        browser.waitUntil("after the blip, Alice's page should open a new WebSocket from its cursor (GET /ws?since=1)",
                () -> server().wire().stream().anyMatch(line -> line.startsWith("GET /ws?since=1 ")) && server().openWebSockets() == 1,
                () -> "the server saw " + server().wire());
        waitForTransport(alice, "websocket");
        waitForNoTimer(alice, "after the hello of its new WebSocket");
        assertEquals(List.of("GET /ws?since=0 → 101 (WebSocket)", "GET /ws?since=1 → 101 (WebSocket)"), server().wire(),
                "a page whose WebSocket works should open it once, and once more after the blip: nothing else");
    }

    /** On WebSocket the page needs no timer at all: only a patience timer left behind would still be pending. */
    private void waitForNoTimer(ChatPage page, String when) {
        PageClock clock = clock(page);
        page.browser().waitUntil(page.person() + "'s page should have no timer left running " + when + " — the hello "
                        + "clears the patience timer, or the timer fires later and drops a transport that works",
                () -> clock.pending().isEmpty(),
                () -> "timer(s) still pending in the page (ms): " + clock.pending() + "; the server saw " + server().wire());
    }

    @Test
    @Lesson("§5 One cursor")
    void everyTransportOpensFromThePagesOneCursor() {
        ChatPage alice = open("Alice");
        waitForTransport(alice, "websocket");
        alice.send("one");
        alice.waitForMessages("Alice: one");

        server().refuseWebSockets(); // the socket is cut; the page walks down from its cursor, 1
        waitForTransport(alice, "eventsource");
        alice.send("two");
        alice.waitForMessages("Alice: one", "Alice: two");

        server().cutConnections(); // the stream drops: the page starts again from the top — from 2, not from 0
        waitForWire("after the cut, Alice's page should open a new event stream from its cursor (GET /events?since=2)",
                "GET /events?since=2 ");
        waitForTransport(alice, "eventsource"); // its hello arrived: it works (a cut before the hello would mean the next rung)
        server().bufferEventStreams(); // and now no event arrives: down to long polling, still from 2
        theirPatienceRunsOut(alice);
        waitForTransport(alice, "longpoll");
        alice.send("three");
        alice.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        waitForWire("after \"three\" (id 3) arrived by long poll, Alice's page should ask for what comes after it "
                + "(GET /messages?since=3)", "GET /messages?since=3 ");

        // Every request the page made, as the server saw it: each one asks from where the page is.
        Snapshot.verify(String.join("\n", server().wire()));
    }

    private void waitForWire(String expectation, String prefix) {
        Eventually.until(expectation, () -> server().wire().stream().anyMatch(line -> line.startsWith(prefix)),
                () -> "the server saw " + server().wire());
    }

    @Test
    @Lesson("§4 Three transports, one shape")
    void onLongPollingEachPageKeepsOnePollHeldAtTheServer() {
        server().refuseWebSockets();
        server().bufferEventStreams();
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        theirPatienceRunsOut(alice, bob);
        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");

        // Only the first poll (the hello) is answered at once; after it, each page waits in one held poll.
        Eventually.until("with nothing new, each page should wait in one poll held by the server (GET /messages?since=N,"
                        + " without wait=0), not ask again and again",
                () -> server().heldPolls() == 2,
                () -> server().heldPolls() + " held, " + server().pollsAnswered() + " answered at once; Alice's page: "
                        + alice.browser().recentExchanges(4));
        int answered = server().pollsAnswered();
        bob.send("now there is news");
        alice.waitForMessages("Bob: now there is news");
        bob.waitForMessages("Bob: now there is news");
        Eventually.until("after the news, each page should wait in a new held poll", () -> server().heldPolls() == 2,
                () -> server().heldPolls() + " held");
        assertEquals(answered + 2, server().pollsAnswered(), "one message: one answer to each page's held poll, nothing more");
    }

    @Test
    @Lesson("§8 Pitfalls")
    void aTransportThePageGaveUpOnIsClosedBeforeTheNextOpens() {
        server().refuseWebSockets();
        server().bufferEventStreams(); // the streams open, and their events never arrive: the pages give up on them
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        theirPatienceRunsOut(alice, bob);
        waitForTransport(alice, "longpoll");
        waitForTransport(bob, "longpoll");

        Eventually.until("Alice's and Bob's pages gave up on their event streams (no hello in time): each should have closed "
                        + "its EventSource before it went on to long polling, so the server holds no stream for them",
                () -> server().heldEventStreams() == 0,
                () -> "the server still holds " + server().heldEventStreams() + " event stream(s) open");
    }

    /** "trying again in 37 ms (round 2)", as the page writes in #status when every transport failed. */
    private static final Pattern RETRY = Pattern.compile("trying again in (\\d+) ms \\(round (\\d+)\\)");

    @Test
    @Lesson("§6 The ladder")
    void whileEverythingStaysDownThePageWaitsLongerEachRoundWithJitterUpToACap() {
        server().refuseWebSockets();
        server().refuseEventStreams();
        server().refusePolls();
        int pause = 20;
        int maxPause = 160;
        ChatPage alice = open("Alice", "patience=" + PATIENCE + "&pause=" + pause + "&maxPause=" + maxPause);
        Browser browser = alice.browser();
        PageClock clock = clock(alice);

        Map<Integer, Integer> waits = new TreeMap<>(); // round → the ms the page said it would wait
        for (int round = 1; round <= 8; round++) {
            int expected = round;
            browser.waitUntil("Alice's page should try again round after round, and say so in #status (\"trying again in N "
                            + "ms (round R)\"): round " + expected + " now",
                    () -> seeRetry(browser).filter(seen -> seen[1] == expected).isPresent(),
                    () -> "#status said " + waits + " (round=ms); now: " + browser.texts("#status"));
            int wait = seeRetry(browser).orElseThrow()[0];
            waits.put(round, wait);
            int ceiling = ceiling(round, pause, maxPause);
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, "with pause=" + pause + " and maxPause=" + maxPause
                    + ", round " + round + " should wait between " + ceiling / 2 + " and " + ceiling + " ms (doubling each round, "
                    + "at most maxPause, a random part on top of half of it), but it waited " + wait + " ms; all rounds seen: " + waits);
            if (round < 8) {
                clock.random(round % 2 == 1 ? 0 : 0.999); // the page's dice for the next round: its lowest throw, then its highest
                clock.pass(ceiling); // the longest this round may wait passes, on the page's clock: the next round begins
            }
        }
        assertTrue(waits.entrySet().stream().anyMatch(e -> e.getValue() != ceiling(e.getKey(), pause, maxPause)),
                "every round waited exactly its ceiling: without jitter, pages cut off together all come back together; "
                        + "rounds seen (round=ms): " + waits);

        server().allowPolls();
        clock.pass(ceiling(8, pause, maxPause)); // round 8's wait passes: the next round gets through
        waitForTransport(alice, "longpoll");
        Eventually.until("Alice's page should wait in a held poll", () -> server().heldPolls() == 1,
                () -> server().heldPolls() + " held");
        server().refusePolls();
        server().post(new kata.chat.NewMessage("Bob", "one more")); // answers the held poll; the next one is refused
        alice.waitForMessages("Bob: one more");
        browser.waitUntil("the server is gone again: Alice's page should say it tries again", () -> seeRetry(browser).isPresent(),
                () -> "#status says " + browser.texts("#status"));
        int[] after = seeRetry(browser).orElseThrow();
        assertTrue(after[1] == 1 && after[0] <= pause, "a hello came in between: the next failed round is round 1 again, "
                + "waiting at most pause=" + pause + " ms, but #status says " + browser.texts("#status"));
    }

    /** The longest round {@code round} may wait: pause, doubled each round, at most maxPause. */
    private static int ceiling(int round, int pause, int maxPause) {
        return (int) Math.min(maxPause, (long) pause << Math.min(round - 1, 20));
    }

    /** {ms, round} from #status, when it says the page tries again. */
    private static java.util.Optional<int[]> seeRetry(Browser browser) {
        Matcher m = RETRY.matcher(String.join(" ", browser.texts("#status")));
        return m.find() ? java.util.Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                : java.util.Optional.empty();
    }
}

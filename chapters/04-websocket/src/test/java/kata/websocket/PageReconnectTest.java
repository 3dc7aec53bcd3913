package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.PageClock;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bob's page on a network that drops (the {@link Link}): how long it waits before each new try, and what
 * becomes of what he writes meanwhile. The test holds the page's clock ({@link PageClock}): it reads each wait
 * the page hands to {@code setTimeout}, lets it pass at once, and plays chance by setting {@code Math.random}.
 * Nothing is timed, and nobody waits for a wait.
 */
@Lesson("§7 Reconnect and resume")
class PageReconnectTest {
    static final int FIRST = 40;
    static final int CAP = 160;

    @RegisterExtension
    final Link link = new Link();
    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> {
        WebSocketServer server = WebSocketServer.start(0, Settings.defaults().allowOrigins(link.origin()));
        link.leadTo(server.port());
        return server;
    }, WebSocketServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aPageThatCannotReconnectWaitsLongerEachTimeUpToTheCapAtRandom() {
        ChatPage bob = browsers.chat("Bob", link.url("/?name=Bob&retry=" + FIRST + "&maxRetry=" + CAP));
        PageSocket.waitUntilOpen(bob);
        PageClock clock = PageClock.take(bob.browser());
        clock.random(0.999);

        link.cut(); // the server is out of reach, for a while
        List<Long> highest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                clock.fireNext(); // the wait is over: the page tries again, and fails
            }
            highest.add(nextWait(clock, bob));
        }
        List<Long> ceilings = List.of(40L, 80L, 160L, 160L);
        for (int i = 0; i < ceilings.size(); i++) {
            long wait = highest.get(i);
            assertTrue(wait >= ceilings.get(i) * 9 / 10 && wait <= ceilings.get(i), "With Math.random() near 1, the"
                    + " waits should double from " + FIRST + " ms after each failed try, up to the cap of " + CAP + " ms: about "
                    + ceilings + " — but the page waited " + highest);
        }

        clock.random(0);
        clock.fireNext();
        long lowest = nextWait(clock, bob);
        assertTrue(lowest < CAP * 9 / 10, "With Math.random() at 0 the page should wait less than the cap of " + CAP
                + " ms: each wait is drawn at random below its ceiling (jitter), or every page a server restart dropped"
                + " comes back at the same moment — but the page waited " + lowest);

        clock.random(0.999);
        link.restore();
        clock.fireNext(); // the wait is over, and the server is in reach again
        PageSocket.waitUntilOpen(bob);
        link.cut();
        long afterSuccess = nextWait(clock, bob);
        assertTrue(afterSuccess <= FIRST, "Once a socket has opened, the next drop starts again from the first"
                + " wait (" + FIRST + " ms), not from where the last outage left off — but the page waited " + afterSuccess);
    }

    @Test
    void aMessageWrittenWhileOfflineStaysInTheFieldUntilItCanBeSent() {
        ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice"));
        ChatPage bob = browsers.chat("Bob", link.url("/?name=Bob&retry=" + FIRST + "&maxRetry=" + CAP));
        PageSocket.waitUntilOpen(alice);
        PageSocket.waitUntilOpen(bob);
        PageClock clock = PageClock.take(bob.browser());

        link.cut();
        bob.browser().waitUntil("Bob's page should notice that its socket closed",
                () -> !"open".equals(PageSocket.state(bob.browser())), () -> PageSocket.describe(bob.browser()));
        bob.send("are you there?");
        assertEquals("are you there?", bob.browser().eval("document.getElementById('text').value"),
                "Bob's socket is not open: his page should keep what he wrote in the field (and say it was not sent),"
                        + " not hand it to a socket that cannot carry it — " + PageSocket.describe(bob.browser()));

        link.restore();
        nextWait(clock, bob);
        clock.fireNext(); // the page tries again, and the server is in reach
        PageSocket.waitUntilOpen(bob);
        bob.browser().click("#send");
        alice.waitForMessages("Bob: are you there?");
    }

    /** The wait the page has set (with {@code setTimeout}) before it tries again, once it has set it. */
    private static long nextWait(PageClock clock, ChatPage page) {
        return clock.awaitTimer(page.person() + "'s page should try again after a wait (setTimeout)");
    }
}

package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bob's page on a network that drops (the {@link Link}): how long it waits before each new try, and what
 * becomes of what he writes meanwhile. The test watches the waits the page hands to {@code setTimeout},
 * and plays chance by replacing {@code Math.random}: no clock is read, nothing is timed.
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
        Waits waits = new Waits(bob.browser());
        waits.chance(0.999);

        link.cut(); // the server is out of reach, for a while
        List<Long> highest = waits.next(4);
        List<Long> ceilings = List.of(40L, 80L, 160L, 160L);
        for (int i = 0; i < ceilings.size(); i++) {
            long wait = highest.get(i);
            assertTrue(wait >= ceilings.get(i) * 9 / 10 && wait <= ceilings.get(i), "With Math.random() near 1, the"
                    + " waits should double from " + FIRST + " ms after each failed try, up to the cap of " + CAP + " ms: about "
                    + ceilings + " — but the page waited " + highest);
        }

        waits.chance(0);
        List<Long> lowest = waits.next(1);
        assertTrue(lowest.stream().allMatch(wait -> wait < CAP * 9 / 10), "With Math.random() at 0 the page should"
                + " wait less than the cap of " + CAP + " ms: each wait is drawn at random below its ceiling (jitter), or"
                + " every page a server restart dropped comes back at the same moment — but the page waited " + lowest);

        waits.chance(0.999);
        link.restore();
        PageSocket.waitUntilOpen(bob);
        waits.fromNowOn();
        link.cut();
        List<Long> afterSuccess = waits.next(1);
        assertTrue(afterSuccess.get(0) <= FIRST, "Once a socket has opened, the next drop starts again from the first"
                + " wait (" + FIRST + " ms), not from where the last outage left off — but the page waited " + afterSuccess);
    }

    @Test
    void aMessageWrittenWhileOfflineStaysInTheFieldUntilItCanBeSent() {
        ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice"));
        ChatPage bob = browsers.chat("Bob", link.url("/?name=Bob&retry=" + FIRST + "&maxRetry=" + CAP));
        PageSocket.waitUntilOpen(alice);
        PageSocket.waitUntilOpen(bob);

        link.cut();
        bob.browser().waitUntil("Bob's page should notice that its socket closed",
                () -> !"open".equals(PageSocket.state(bob.browser())), () -> PageSocket.describe(bob.browser()));
        bob.send("are you there?");
        assertEquals("are you there?", bob.browser().eval("document.getElementById('text').value"),
                "Bob's socket is not open: his page should keep what he wrote in the field (and say it was not sent),"
                        + " not hand it to a socket that cannot carry it — " + PageSocket.describe(bob.browser()));

        link.restore();
        PageSocket.waitUntilOpen(bob);
        bob.browser().click("#send");
        alice.waitForMessages("Bob: are you there?");
    }

    /** The waits a page hands to {@code setTimeout}, recorded; and {@code Math.random}, played by the test. */
    static final class Waits {
        private final Browser browser;
        private int taken;

        Waits(Browser browser) {
            this.browser = browser;
            browser.eval("""
                    (function () {
                      var real = window.setTimeout;
                      var chance = 0.5;
                      window.kataWaits = [];
                      window.kataChance = function (c) { chance = c; };
                      window.setTimeout = function (f, delay) {
                        window.kataWaits.push(Number(delay) || 0);
                        return real(f, delay);
                      };
                      Math.random = function () { return chance; };
                    })()""");
        }

        /** From now on, {@code Math.random()} returns {@code value}; {@link #next} counts from here. */
        void chance(double value) {
            taken = ((Number) browser.eval("window.kataChance(" + value + "), window.kataWaits.length")).intValue();
        }

        /** {@link #next} counts the waits set from now on. */
        void fromNowOn() {
            taken = count();
        }

        /** The next {@code n} waits the page sets, once it has set them. */
        List<Long> next(int n) {
            int from = taken;
            browser.waitUntil(browser.name() + "'s page should try again, " + n + " times, each after a wait (setTimeout)",
                    () -> count() >= from + n, () -> "waits so far " + all() + "; " + PageSocket.describe(browser));
            taken = from + n;
            return all().subList(from, from + n);
        }

        private int count() {
            return ((Number) browser.eval("window.kataWaits.length")).intValue();
        }

        private List<Long> all() {
            String joined = String.valueOf(browser.eval("window.kataWaits.join(',')"));
            List<Long> waits = new ArrayList<>();
            for (String wait : joined.split(",")) {
                if (!wait.isEmpty()) {
                    waits.add(Math.round(Double.parseDouble(wait)));
                }
            }
            return waits;
        }
    }
}

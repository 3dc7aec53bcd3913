package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A page's timers in the test's hand: they fire when the test says, in the order their time comes. */
class PageClockTest {
    /**
     * A page that notes in #out which of its timers fired: "a" after 100 ms, "b" after 50 ms and then "c" 50 ms
     * later, "d" after 300 ms, and "tick" every 120 ms.
     */
    static final class TimerPage implements AutoCloseable {
        final Undertow undertow;

        TimerPage() {
            undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(Handlers.routing()
                    .get("/", ex -> {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                        ex.getResponseSender().send("<!doctype html><p id=out></p><script>"
                                + "function note(what) { document.getElementById('out').textContent += what + ' '; }"
                                + "setTimeout(function () { note('a'); }, 100);"
                                + "setTimeout(function () { note('b'); setTimeout(function () { note('c'); }, 50); }, 50);"
                                + "setTimeout(function () { note('d'); }, 300);"
                                + "var tick = setInterval(function () { note('tick'); }, 120);"
                                + "</script>");
                    })
                    .get("/fetching", ex -> {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                        ex.getResponseSender().send("<!doctype html><p id=out></p><script>"
                                + "fetch('/hello').then(function (r) { return r.text(); })"
                                + ".then(function (t) { document.getElementById('out').textContent = t; });"
                                + "</script>");
                    })
                    .get("/hello", ex -> ex.getResponseSender().send("hello"))).build();
            undertow.start();
        }

        int port() {
            return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        }

        @Override
        public void close() {
            undertow.stop();
        }
    }

    @RegisterExtension
    final Served<TimerPage> server = Served.by(TimerPage::new, TimerPage::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private static String fired(Browser browser) {
        return String.join("", browser.texts("#out")).strip();
    }

    @Test
    void nothingFiresUntilTheTestLetsTimePass() {
        Browser browser = browsers.start("Alice");
        PageClock clock = PageClock.takeBeforeLoading(browser);
        browser.open(server.url("/"));

        assertEquals("", fired(browser));
        assertEquals(List.of(100L, 50L, 300L, 120L), clock.pending());
    }

    @Test
    void passingTimeFiresWhatComesDueInTheOrderItComesDue() {
        Browser browser = browsers.start("Alice");
        PageClock clock = PageClock.takeBeforeLoading(browser);
        browser.open(server.url("/"));

        clock.pass(100); // b at 50, then a at 100 and c, set at 50 for 50 ms later, at 100 too
        assertEquals("b a c", fired(browser));
        assertEquals(List.of(300L, 120L), clock.pending(), "d and the interval are still to come");

        clock.pass(19); // 119: nothing is due
        assertEquals("b a c", fired(browser));

        clock.pass(200); // 319: the interval at 120 and 240, d at 300
        assertEquals("b a c tick tick d", fired(browser));
        assertEquals(List.of(120L), clock.pending(), "an interval stays pending");
    }

    @Test
    void aPageWhoseClockIsTakenBeforeLoadingStillFetches() {
        Browser browser = browsers.start("Alice");
        PageClock clock = PageClock.takeBeforeLoading(browser);
        browser.open(server.url("/fetching"));

        browser.waitUntil("the page shows what it fetched", () -> fired(browser).equals("hello"), () -> fired(browser));
        assertEquals(1, clock.fetches("/hello"));
    }

    @Test
    void fireNextStillFiresTheOldestTimerWhateverItsTime() {
        Browser browser = browsers.start("Alice");
        PageClock clock = PageClock.takeBeforeLoading(browser);
        browser.open(server.url("/"));

        clock.fireNext();
        assertEquals("a", fired(browser));
        clock.pass(0); // the clock is at 100 now (a's time): b, due at 50, has come
        assertEquals("a b", fired(browser));
    }
}

package kata.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A page's clock, its dice and its network, in the test's hand: for a page's retry logic (a wait after an
 * error, growing, capped, with jitter) tested without a single timing threshold.
 *
 * <p>{@link #take} replaces, in the page that is loaded, the globals a page's script reaches for:
 * {@code setTimeout} / {@code setInterval} with a delay above 0 no longer run by themselves — they wait,
 * with their delay, until the test {@linkplain #fireNext fires} them (delays of 0, which libraries such
 * as the fetch polyfill use for their own bookkeeping, still run at once); {@code Math.random()} returns
 * what the test {@linkplain #random sets}; {@code fetch} counts its calls and, while the test says so,
 * fails as a dropped network does, or waits as a slow one does. The page's own code is untouched: it calls the globals as always.
 *
 * <pre>
 * PageClock clock = PageClock.take(bob.browser());
 * clock.random(0);
 * long delay = clock.awaitTimer("Bob's page should wait before its next poll"); // the page's setTimeout(…, delay)
 * clock.fireNext();                                                               // time passes: the page polls
 * </pre>
 *
 * <p>Or, where a story is told in time rather than in timers ("two seconds pass: the page's patience runs
 * out"), {@link #pass} moves the page's clock on: every timer whose time comes fires, in the order of that
 * time, and nothing later does.
 */
public final class PageClock {
    /**
     * One script, no comments in it (it is also put on one line before a page's own script). An offline fetch
     * fails a moment later, as a real network error does, so that a page that retries at once cannot lock its
     * browser in a loop of promises that never lets anything else run.
     */
    private static final String INSTALL = """
            (function (w) {
              if (w.__kataClock) { return; }
              var c = w.__kataClock = { now: 0, timers: [], fetches: [], random: null, offline: false, holding: false, held: [], next: 1000000 };
              var realSetTimeout = w.setTimeout, realFetch = w.fetch, realRandom = Math.random;
              function later(fn, delay, repeat, args) {
                var d = Number(delay);
                if (!(d > 0) && !repeat) { return realSetTimeout.apply(w, [fn, delay].concat(args)); }
                var id = c.next++;
                c.timers.push({ id: id, fn: fn, delay: d, due: c.now + d, repeat: repeat, args: args });
                return id;
              }
              function cancel(id) { c.timers = c.timers.filter(function (t) { return t.id !== id; }); }
              w.setTimeout = function (fn, delay) { return later(fn, delay, false, [].slice.call(arguments, 2)); };
              w.setInterval = function (fn, delay) { return later(fn, delay, true, [].slice.call(arguments, 2)); };
              var realClearTimeout = w.clearTimeout, realClearInterval = w.clearInterval;
              w.clearTimeout = function (id) { if (id >= 1000000) { cancel(id); } else { realClearTimeout.call(w, id); } };
              w.clearInterval = function (id) { if (id >= 1000000) { cancel(id); } else { realClearInterval.call(w, id); } };
              w.fetch = function (url) {
                if (c.fetches.length < 10000) { c.fetches.push(String(url)); }
                if (c.offline) {
                  return new Promise(function (resolve, reject) {
                    realSetTimeout.call(w, function () { reject(new TypeError('Failed to fetch (the network is down)')); }, 0);
                  });
                }
                var args = arguments;
                if (c.holding) {
                  return new Promise(function (resolve, reject) {
                    c.held.push(function () { realFetch.apply(w, args).then(resolve, reject); });
                  });
                }
                return realFetch.apply(w, args);
              };
              Math.random = function () { return c.random === null ? realRandom() : c.random; };
            })(window);
            """;

    private final Browser browser;

    private PageClock(Browser browser) {
        this.browser = browser;
    }

    /** Takes the clock of the page {@code browser} shows now (a page loaded later has its own again). */
    public static PageClock take(Browser browser) {
        browser.eval(INSTALL);
        return new PageClock(browser);
    }

    /**
     * Takes the clock of every page {@code browser} loads from now on, before the page's own scripts run: for a
     * test about what a page does from its first moment (a {@code setInterval} set at load, say). Call it
     * before {@link Browser#open}.
     */
    public static PageClock takeBeforeLoading(Browser browser) {
        // Only a page's scripts: HtmlUnit's fetch polyfill goes through here too (with no page), before the
        // page's scripts, and it is compiled once for every browser of the JVM; the clock put before it would
        // find no fetch to wrap, and the polyfill would find one already there and leave every page without it.
        browser.client().setScriptPreProcessor((page, source, name, line, element) ->
                page == null ? source : INSTALL.replace("\n", " ") + source);
        return new PageClock(browser);
    }

    /** From now on {@code Math.random()} in the page returns {@code value} (0 ≤ value &lt; 1). */
    public void random(double value) {
        browser.eval("window.__kataClock.random = " + String.format(Locale.ROOT, "%.6f", value) + ";");
    }

    /** While {@code down}, every {@code fetch} of the page fails as it does when the network drops. */
    public void offline(boolean down) {
        browser.eval("window.__kataClock.offline = " + down + ";");
    }

    /**
     * While {@code slow}, every {@code fetch} of the page is on its way and not answered (a slow network, a busy
     * server); when it ends, the requests held back go out and are answered as usual.
     */
    public void slowNetwork(boolean slow) {
        browser.eval(slow ? "window.__kataClock.holding = true;"
                : "(function (c) { c.holding = false; var held = c.held; c.held = []; held.forEach(function (go) { go(); }); })(window.__kataClock);");
    }

    /** The delays of the timers the page has set and that have not fired yet, oldest first (ms). */
    public List<Long> pending() {
        String joined = String.valueOf(browser.eval("window.__kataClock.timers.map(function (t) { return t.delay; }).join(',')"));
        List<Long> delays = new ArrayList<>();
        for (String delay : joined.split(",")) {
            if (!delay.isBlank()) {
                delays.add(Math.round(Double.parseDouble(delay)));
            }
        }
        return delays;
    }

    /** How many times the page has called {@code fetch} with a URL that contains {@code part}. */
    public int fetches(String part) {
        Object count = browser.eval("window.__kataClock.fetches.filter(function (u) { return u.indexOf('"
                + part.replace("\\", "\\\\").replace("'", "\\'") + "') >= 0; }).length");
        return ((Number) count).intValue();
    }

    /**
     * Waits until the page has set a timer, and returns its delay in ms. Fails at once as the browser's
     * waits do (a 501, a script error).
     */
    public long awaitTimer(String expectation) {
        browser.waitUntil(expectation, () -> !pending().isEmpty(), () -> "no timer set; the page made these requests: "
                + browser.recentExchanges(6));
        return pending().get(0);
    }

    /** Lets the oldest pending timer's time come: its callback runs (an interval's stays pending). */
    public void fireNext() {
        browser.eval("""
                (function (c) {
                  var t = c.timers.shift();
                  if (!t) { return; }
                  c.now = Math.max(c.now, t.due);
                  if (t.repeat) { t.due = c.now + Math.max(t.delay, 1); c.timers.push(t); }
                  if (typeof t.fn === 'function') { t.fn.apply(window, t.args); } else { window.eval(String(t.fn)); }
                })(window.__kataClock);
                """);
    }

    /**
     * Lets {@code millis} ms of the page's time pass: every pending timer whose time comes within them fires, the
     * soonest first (a timer set by one of them fires too, if its time comes within them; an interval fires as
     * often as it comes round), and the timers whose time is later stay pending. The page's clock starts at 0
     * when it is taken, and moves only when the test moves it.
     */
    public void pass(long millis) {
        browser.eval("""
                (function (c, end) {
                  while (true) {
                    var t = null;
                    c.timers.forEach(function (x) { if (x.due <= end && (t === null || x.due < t.due)) { t = x; } });
                    if (t === null) { break; }
                    c.timers = c.timers.filter(function (x) { return x !== t; });
                    c.now = Math.max(c.now, t.due);
                    if (t.repeat) { t.due = c.now + Math.max(t.delay, 1); c.timers.push(t); }
                    if (typeof t.fn === 'function') { t.fn.apply(window, t.args); } else { window.eval(String(t.fn)); }
                  }
                  c.now = Math.max(c.now, end);
                })(window.__kataClock, window.__kataClock.now + %d);
                """.formatted(millis));
    }
}

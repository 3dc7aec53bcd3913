package kata.jsonp;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.PageClock;

/**
 * Chat pages whose timers are the test's ({@link PageClock}): a page asks the API again when the test lets its
 * interval pass, and gives up on a request when the test lets its timeout pass — not after so many ms of the
 * machine's time. "Twenty requests later" or "once its timeout ran out" then costs the time of the requests,
 * not of the waits, and means the same on a fast machine and a busy one. (HtmlUnit loads a JSONP script as
 * soon as the timer that added it has run, so each request is answered, or has failed, before the next.)
 */
final class ClockedPages {
    /** The pages wait this long between the end of one request and the next ({@code ?interval=}), on their clock. */
    static final long INTERVAL = 100;

    private final Browsers browsers;
    private final Map<ChatPage, PageClock> clocks = new IdentityHashMap<>();

    ClockedPages(Browsers browsers) {
        this.browsers = browsers;
    }

    /** A chat page at {@code url} (which says {@code interval=}{@value #INTERVAL}), its timers the test's from its first line. */
    ChatPage open(String person, String url) {
        Browser browser = browsers.start(person);
        PageClock clock = PageClock.takeBeforeLoading(browser);
        ChatPage page = new ChatPage(browser.open(url));
        clocks.put(page, clock);
        return page;
    }

    PageClock clock(ChatPage page) {
        return clocks.get(page);
    }

    /** The page's person sends {@code text}, and the chat site has stored it ({@code POST /messages} answered 200). */
    void sends(ChatPage page, String text) {
        long stored = stored(page);
        page.send(text);
        page.browser().waitUntil(page.person() + "'s message \"" + text + "\" should be stored by the chat site",
                () -> stored(page) > stored, () -> page.browser().recentExchanges(4));
    }

    private static long stored(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("POST /messages") && e.endsWith("→ 200")).count();
    }

    /**
     * The page's last request has ended and its interval passes: the next request goes out (checked: one more
     * /jsonp request). {@code expectation} says why the page should have set its timer for the next request by now.
     */
    void asksAgain(ChatPage page, String expectation) {
        PageClock clock = clock(page);
        // A page that already saw why it cannot go on (a 501, a script error) says so at once, as in every wait,
        // even when it has set its timer: its interval passing would only repeat what failed.
        page.browser().waitUntil(expectation, () -> page.browser().alarms().isEmpty() && clock.pending().contains(INTERVAL),
                () -> "the page's timers pending (ms): " + clock.pending() + "; its requests: " + page.browser().recentExchanges(4));
        int asked = jsonpRequests(page).size();
        clock.pass(INTERVAL);
        page.browser().waitUntil(expectation + ": when that timer fires, the next request should go out",
                () -> jsonpRequests(page).size() > asked,
                () -> "no new request; the page's timers pending (ms): " + clock.pending() + "; its requests: "
                        + page.browser().recentExchanges(4));
    }

    /**
     * The page's time passes, {@link #INTERVAL} at a time, until it shows exactly these messages, in this order,
     * each once: as {@link ChatPage#waitForMessages}, on a page whose requests go out as its time passes.
     */
    void waitForMessages(ChatPage page, String... expected) {
        List<String> wanted = List.of(expected);
        waitUntil(page, page.person() + " should see exactly " + quoted(wanted) + ", in order, each once",
                () -> page.messages().equals(wanted),
                () -> quoted(page.messages()) + " (after " + jsonpRequests(page).size() + " requests)");
    }

    /**
     * As {@link Browser#waitUntil}, the page's time passing {@link #INTERVAL} at a time meanwhile, so that its
     * requests go out one after the other until {@code done} holds.
     */
    void waitUntil(ChatPage page, String expectation, BooleanSupplier done, Supplier<String> observed) {
        PageClock clock = clock(page);
        page.browser().waitUntil(expectation, () -> {
            if (done.getAsBoolean()) {
                return true;
            }
            clock.pass(INTERVAL);
            return false;
        }, observed);
    }

    /** Every /jsonp request the page made, oldest first. */
    static List<String> jsonpRequests(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("GET /jsonp")).toList();
    }

    private static String quoted(List<String> messages) {
        if (messages.isEmpty()) {
            return "no messages";
        }
        if (messages.size() > 6) {
            return messages.size() + " messages, from \"" + messages.get(0) + "\" to \"" + messages.get(messages.size() - 1) + "\"";
        }
        return "[\"" + String.join("\", \"", messages) + "\"]";
    }
}

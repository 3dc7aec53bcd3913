package kata.websocket;

import kata.harness.Browser;
import kata.harness.ChatPage;

/** What a page shows of its socket: {@code <body data-socket="connecting|open|closed" data-close-code="…">}. */
final class PageSocket {
    private PageSocket() {
    }

    static String state(Browser browser) {
        Object state = browser.eval("document.body.getAttribute('data-socket')");
        return state == null ? "(no data-socket)" : state.toString();
    }

    static String describe(Browser browser) {
        Object code = browser.eval("document.body.getAttribute('data-close-code')");
        Object status = browser.eval("(document.getElementById('status') || {}).textContent || ''");
        return "socket " + state(browser) + (code == null ? "" : ", last close code " + code)
                + (status == null || status.toString().isEmpty() ? "" : ", status \"" + status + "\"")
                + "; handshakes: " + browser.recentExchanges(4);
    }

    /** Waits until the page's socket is open; ends at once if the server answered the handshake with 501. */
    static void waitUntilOpen(ChatPage page) {
        page.browser().waitUntil(page.person() + "'s page should open its WebSocket",
                () -> "open".equals(state(page.browser())),
                () -> describe(page.browser()));
    }
}

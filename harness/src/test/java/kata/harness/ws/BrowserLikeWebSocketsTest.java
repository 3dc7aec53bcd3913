package kata.harness.ws;

import kata.harness.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** After {@link BrowserLikeWebSockets#install}, HtmlUnit's WebSocket handshake carries what a browser's does. */
@Timeout(30)
class BrowserLikeWebSocketsTest {

    @RegisterExtension
    final HandshakeServer site = new HandshakeServer("site");

    @RegisterExtension
    final HandshakeServer elsewhere = new HandshakeServer("elsewhere");

    private WebClient browser;

    @BeforeEach
    void startBrowser() {
        browser = new WebClient();
        BrowserLikeWebSockets.install(browser);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void handshakeSendsTheOriginOfThePageThatOpenedTheSocket() throws Exception {
        open(site.pageUrl());

        assertEquals(site.origin(), site.awaitHandshake().single("Origin"),
                "Origin of a page at " + site.pageUrl() + ": scheme://host:port, no path");
    }

    @Test
    void handshakeSendsTheCookieTheSiteSet() throws Exception {
        open(site.pageUrl());

        assertEquals(site.cookieName() + "=" + site.cookieValue(), site.awaitHandshake().single("Cookie"));
    }

    @Test
    void handshakeSendsTheBrowsersUserAgentNotJettys() throws Exception {
        open(site.pageUrl());

        assertEquals(browser.getBrowserVersion().getUserAgent(), site.awaitHandshake().single("User-Agent"));
    }

    @Test
    void socketFromAPageOfAnotherOriginSendsThatOtherOrigin() throws Exception {
        open(site.pageUrl()); // the victim's site: sets its cookie, as a login would
        open(elsewhere.pageOpeningSocketTo(site.socketUrl()));

        HandshakeServer.Handshake crossSite = Eventually.await("the handshake from " + elsewhere.origin(),
                () -> site.handshakes().stream()
                        .filter(handshake -> !handshake.values("Origin").contains(site.origin()))
                        .findFirst(),
                () -> "handshakes " + site.handshakes());
        assertEquals(elsewhere.origin(), crossSite.single("Origin"),
                "a page from " + elsewhere.origin() + " opened the socket to " + site.socketUrl());
        assertTrue(crossSite.single("Cookie").contains(site.cookieName() + "=" + site.cookieValue()),
                "the target site's cookie rides along, which is why servers must check Origin: "
                        + crossSite.single("Cookie"));
    }

    @Test
    void aServerCheckingOriginRefusesTheSocketOfAForeignPage() throws Exception {
        HtmlPage foreign = browser.getPage(elsewhere.pageOpeningSocketTo(site.sameOriginOnlySocketUrl()));
        awaitLogLine(foreign, "close 1006");
        assertEquals(List.of("error", "close 1006"), logLines(foreign), "the page's socket events");

        HtmlPage own = open(site.pageOpeningSocketTo(site.sameOriginOnlySocketUrl()));
        awaitLogLine(own, "message echo: hello from the page");
    }

    @Test
    void aLinkThatDropsEveryConnectionFailsEachTryWithErrorAndClose() throws Exception {
        // A Wi-Fi that is down: the port accepts and drops each connection before any answer. Jetty fails such a
        // handshake at once, sometimes before `new WebSocket(...)` has even returned to the page's script; the page
        // must see it as a browser does, every time, or a page that reconnects after each close waits for an event
        // that never comes.
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try {
                        dropping.accept().close();
                    } catch (IOException e) {
                        // the test is over
                    }
                }
            }, "dropper");
            dropper.setDaemon(true);
            dropper.start();
            String dropped = "ws://127.0.0.1:" + dropping.getLocalPort() + "/ws";
            for (int attempt = 1; attempt <= 10; attempt++) {
                HtmlPage page = browser.getPage(site.pageOpeningSocketTo(dropped));
                int tried = attempt;
                Eventually.await("error and close 1006 at try " + tried,
                        () -> logLines(page).contains("close 1006") ? Optional.of(tried) : Optional.empty(),
                        () -> "log " + logLines(page));
                assertEquals(List.of("error", "close 1006"), logLines(page), "the page's socket events, try " + attempt);
            }
        }
    }

    @Test
    void aRefusedSocketOpenedAgainAndAgainByThePageFailsEachTimeWithErrorAndClose() throws Exception {
        // As a page that walks a ladder of transports does: a new socket from a later script of the page (a
        // timer's, a test's), after the first was refused. Jetty may fail such a handshake at once, inside
        // `new WebSocket(...)`, before the script below sets its handlers: the page must still see it.
        HtmlPage foreign = browser.getPage(elsewhere.pageOpeningSocketTo(site.sameOriginOnlySocketUrl()));
        awaitLogLine(foreign, "close 1006");
        for (int attempt = 1; attempt <= 20; attempt++) {
            String closed = "close " + attempt;
            synchronized (foreign) { // as HtmlUnit runs a page's scripts: one at a time, under the page's monitor
                foreign.executeJavaScript("var again = new WebSocket('" + site.sameOriginOnlySocketUrl() + "');"
                        + "again.onclose = function () { log('" + closed + "'); };");
            }
            awaitLogLine(foreign, closed);
        }
    }

    @Test
    void messagesStillFlowBothWays() throws Exception {
        HtmlPage page = open(site.pageUrl());

        site.awaitReceived("hello from the page");
        awaitLogLine(page, "message echo: hello from the page");
    }

    @Test
    void openReachesAPageWhoseScriptSetsOnopenAfterTheConnectionIsUp() throws Exception {
        open(site.pageSettingHandlersLate(300));

        site.awaitReceived("hello from the page");
    }

    private HtmlPage open(String url) throws Exception {
        HtmlPage page = browser.getPage(url);
        awaitLogLine(page, "open");
        return page;
    }

    private static void awaitLogLine(HtmlPage page, String line) {
        Eventually.await("'" + line + "' in the log of " + page.getUrl(),
                () -> logLines(page).contains(line) ? Optional.of(line) : Optional.empty(),
                () -> "log " + logLines(page));
    }

    private static List<String> logLines(HtmlPage page) {
        String log = page.getElementById("log").getTextContent();
        return log.isEmpty() ? List.of() : List.of(log.split("\n"));
    }
}

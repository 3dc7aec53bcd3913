package kata.harness.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import kata.harness.Eventually;

import org.htmlunit.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BrowserLikeWebSockets#install(WebClient, HandshakeObserver)} reports the status of each handshake. */
@Timeout(30)
class HandshakeObserverTest {

    @RegisterExtension
    final HandshakeServer site = new HandshakeServer("site");

    @RegisterExtension
    final HandshakeServer elsewhere = new HandshakeServer("elsewhere");

    private final List<String> answers = new CopyOnWriteArrayList<>();
    private WebClient browser;

    @BeforeEach
    void startBrowser() {
        browser = new WebClient();
        BrowserLikeWebSockets.install(browser, (URI url, int status) -> answers.add(url.getPath() + " " + status));
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void anOpenedSocketIsReportedAs101() throws Exception {
        browser.getPage(site.pageUrl());

        assertEquals("/ws 101", awaitAnswer());
    }

    @Test
    void aRefusedHandshakeIsReportedWithTheServersStatus() throws Exception {
        browser.getPage(elsewhere.pageOpeningSocketTo(site.sameOriginOnlySocketUrl()));

        assertEquals("/ws-same-origin-only 403", awaitAnswer());
    }

    private String awaitAnswer() {
        return Eventually.await("a handshake answer", () -> answers.stream().findFirst(), () -> "answers " + answers);
    }
}

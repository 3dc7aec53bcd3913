package kata.harness.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import kata.harness.Eventually;
import kata.harness.QuietLogs;
import kata.harness.Served;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fetch §4.9 "CORS-preflight cache" on a clock the test moves: how long an answer is kept (Access-Control-Max-Age,
 * 5 s without it, Chromium's cap of 7200 s) and what it covers. No waiting: time passes when the test says so.
 */
class PreflightCacheTest {
    private static final String ORIGIN = "http://localhost:1";
    private static final String URL = "http://127.0.0.1:1/api";

    private final AtomicLong now = new AtomicLong();
    private final PreflightCache cache = new PreflightCache(now::get);

    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);

    @Test
    void withoutMaxAgeAnAnswerIsKeptFiveSeconds() {
        cache.store(ORIGIN, URL, putAllowed(false), PreflightCache.maxAge(null));
        later(Duration.ofMillis(4999));
        assertTrue(coversPut(false));
        later(Duration.ofMillis(1));
        assertFalse(coversPut(false));
    }

    @Test
    void aMaxAgeThatIsNoNumberCountsAsAbsent() {
        assertEquals(Duration.ofSeconds(5), PreflightCache.maxAge("soon"));
        assertEquals(Duration.ofSeconds(5), PreflightCache.maxAge("-1"));
        assertEquals(Duration.ofSeconds(5), PreflightCache.maxAge(""));
    }

    @Test
    void maxAgeIsCappedAtTwoHoursAsChromiumCapsIt() {
        assertEquals(Duration.ofSeconds(600), PreflightCache.maxAge("600"));
        assertEquals(Duration.ofSeconds(7200), PreflightCache.maxAge("7200"));
        assertEquals(Duration.ofSeconds(7200), PreflightCache.maxAge("86400"));
        assertEquals(Duration.ofSeconds(7200), PreflightCache.maxAge("99999999999999999999"));
        cache.store(ORIGIN, URL, putAllowed(false), PreflightCache.maxAge("86400"));
        later(Duration.ofSeconds(7199));
        assertTrue(coversPut(false));
        later(Duration.ofSeconds(1));
        assertFalse(coversPut(false));
    }

    @Test
    void maxAgeZeroKeepsNothing() {
        cache.store(ORIGIN, URL, putAllowed(false), PreflightCache.maxAge("0"));
        assertFalse(coversPut(false));
    }

    @Test
    void anAnswerIsKeptPerOriginAndUrl() {
        cache.store(ORIGIN, URL, putAllowed(false), Duration.ofSeconds(60));
        assertTrue(cache.covers(ORIGIN, URL, false, "PUT", List.of()));
        assertFalse(cache.covers("http://localhost:2", URL, false, "PUT", List.of()));
        assertFalse(cache.covers(ORIGIN, URL + "?page=2", false, "PUT", List.of()));
    }

    @Test
    void anAnswerWithoutCredentialsDoesNotServeARequestWithThemButTheOtherWayRoundItDoes() {
        cache.store(ORIGIN, URL, putAllowed(false), Duration.ofSeconds(60));
        assertFalse(coversPut(true));
        cache.store(ORIGIN, URL, putAllowed(true), Duration.ofSeconds(60));
        assertTrue(coversPut(true));
        assertTrue(coversPut(false));
    }

    @Test
    void wildcardsInACachedAnswerCountOnlyWithoutCredentials() {
        cache.store(ORIGIN, URL, new PreflightCache.Allowance(true, Set.of("*"), Set.of("*")), Duration.ofSeconds(60));
        assertTrue(cache.covers(ORIGIN, URL, false, "DELETE", List.of("x-custom")));
        assertFalse(cache.covers(ORIGIN, URL, true, "DELETE", List.of()));
        assertFalse(cache.covers(ORIGIN, URL, true, "GET", List.of("x-custom")));
        assertTrue(cache.covers(ORIGIN, URL, true, "GET", List.of()), "a safelisted method needs no allowance");
    }

    @Test
    void aPageReloadedWithinMaxAgeSendsNoPreflightAndAfterItDoes() {
        QuietLogs.install();
        try (WebClient client = new WebClient(BrowserVersion.CHROME)) {
            client.getOptions().setCssEnabled(false);
            BrowserLikeCors.install(client, cache, (request, reason) -> { });
            String once = "OPTIONS acrm=PUT, PUT, PUT";

            runCachedCase(client);
            assertEquals(once, server.server().wire("cached"));
            later(Duration.ofSeconds(599)); // the case's Access-Control-Max-Age is 600
            runCachedCase(client);
            assertEquals(once + ", PUT, PUT", server.server().wire("cached"));
            later(Duration.ofSeconds(1));
            runCachedCase(client);
            assertEquals(once + ", PUT, PUT, " + once, server.server().wire("cached"));
        }
    }

    private void runCachedCase(WebClient client) {
        HtmlPage page;
        try {
            page = client.getPage(server.server().pageUrl(List.of("cached")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Eventually.until("the case has run", () -> {
            synchronized (page) {
                return "done".equals(page.getElementById("done").getTextContent());
            }
        });
        synchronized (page) {
            assertEquals("200 | 200", page.querySelector("#results li").getTextContent());
        }
    }

    private boolean coversPut(boolean credentials) {
        return cache.covers(ORIGIN, URL, credentials, "PUT", List.of());
    }

    private static PreflightCache.Allowance putAllowed(boolean credentials) {
        return new PreflightCache.Allowance(credentials, Set.of("PUT"), Set.of());
    }

    private void later(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}

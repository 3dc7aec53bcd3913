package kata.harness.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.Served;
import org.htmlunit.http.Cookie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fetch §4.8 "CORS-preflight fetch", step 1–4: what the preflight request itself carries. The method and the
 * names it asks for are in the case table ({@link PreflightNeededTest}); here the rest of it, as Chromium sends
 * it (kata.realbrowser.CorsRulesInChromiumTest checks the same headers there).
 */
class PreflightRequestTest {
    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aPreflightCarriesOriginAcceptAndTheFetchMetadataOfTheRequestItAsksFor() {
        Browser ann = browsers.open("Ann", server.server().pageUrl(List.of("put")));
        ann.waitUntil("the case has run", () -> ann.texts("#done").equals(List.of("done")), () -> ann.texts("#results li").toString());

        List<Map<String, String>> sent = server.server().requestHeaders("put");
        assertEquals(2, sent.size(), server.server().wire("put"));
        PreflightHeaders.assertSentAsChromiumSendsIt(sent.get(0), server.server().pageOrigin());
    }

    @Test
    void aPreflightCarriesNoCookiesEvenWhenTheRequestItAsksForDoes() {
        Browser ann = browsers.start("Ann");
        ann.client().getCookieManager().addCookie(new Cookie("127.0.0.1", "sid", "abc"));
        ann.open(server.server().pageUrl(List.of("methods-named-credentials")));
        ann.waitUntil("the case has run", () -> ann.texts("#done").equals(List.of("done")), () -> ann.texts("#results li").toString());

        List<Map<String, String>> sent = server.server().requestHeaders("methods-named-credentials");
        assertEquals("OPTIONS acrm=DELETE, DELETE", server.server().wire("methods-named-credentials"));
        assertNull(sent.get(0).get("cookie"), "the preflight carried cookies: " + sent.get(0));
        assertEquals("sid=abc", sent.get(1).get("cookie"), "the credentialed DELETE itself carries the cookie");
    }
}

package kata.harness.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

/** What a preflight request carries besides its method and the names it asks for: one check for both browsers. */
public final class PreflightHeaders {

    private PreflightHeaders() {
    }

    /** The headers of a preflight that Chromium 156 sends too, with the same values. */
    public static void assertSentAsChromiumSendsIt(Map<String, String> preflight, String pageOrigin) {
        assertEquals("*/*", preflight.get("accept"), "Accept");
        assertEquals(pageOrigin, preflight.get("origin"), "Origin");
        assertEquals("cors", preflight.get("sec-fetch-mode"), "Sec-Fetch-Mode");
        assertEquals("empty", preflight.get("sec-fetch-dest"), "Sec-Fetch-Dest");
        assertEquals("cross-site", preflight.get("sec-fetch-site"), "Sec-Fetch-Site (localhost and 127.0.0.1 are two sites)");
        assertNull(preflight.get("content-type"), "a preflight has no body, so no Content-Type");
        assertNull(preflight.get("cookie"), "a preflight never carries cookies");
        assertNull(preflight.get("authorization"), "a preflight never carries credentials");
    }

}

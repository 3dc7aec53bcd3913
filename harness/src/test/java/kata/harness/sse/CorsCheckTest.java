package kata.harness.sse;

import kata.harness.WebOrigin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CORS check of a cross-origin stream, and the origins it compares. */
class CorsCheckTest {

    private static final String PAGE = "http://127.0.0.1:8080";

    private static HttpHeaders headers(String... namesAndValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Test
    void a_same_origin_stream_needs_no_cors_headers() {
        assertNull(new CorsCheck(PAGE, false, false).refusal(headers()));
    }

    @Test
    void a_cross_origin_stream_needs_allow_origin() {
        CorsCheck check = new CorsCheck(PAGE, true, false);
        assertNotNull(check.refusal(headers()));
        assertNull(check.refusal(headers("Access-Control-Allow-Origin", "*")));
        assertNull(check.refusal(headers("Access-Control-Allow-Origin", PAGE)));
        assertNotNull(check.refusal(headers("Access-Control-Allow-Origin", "http://elsewhere")));
    }

    @Test
    void with_credentials_the_origin_must_be_named_and_credentials_allowed() {
        CorsCheck check = new CorsCheck(PAGE, true, true);
        assertNotNull(check.refusal(headers("Access-Control-Allow-Origin", "*",
                "Access-Control-Allow-Credentials", "true")));
        assertNotNull(check.refusal(headers("Access-Control-Allow-Origin", PAGE)));
        assertNull(check.refusal(headers("Access-Control-Allow-Origin", PAGE,
                "Access-Control-Allow-Credentials", "true")));
    }

    @Test
    void origins_leave_out_default_ports_and_paths() {
        assertEquals("http://example.com", WebOrigin.of(URI.create("http://Example.com:80/a?b#c")));
        assertEquals("https://example.com", WebOrigin.of(URI.create("https://example.com:443/")));
        assertEquals("http://127.0.0.1:8080", WebOrigin.of(URI.create("http://127.0.0.1:8080/events")));
    }
}

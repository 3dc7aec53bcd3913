package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.htmlunit.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tests' clients have no TLS: plain HTTP works as before, and TLS is refused with the reason. */
class PlainHttpOnlyTest {
    @RegisterExtension
    final Served<BrowserTest.PageServer> server = Served.by(BrowserTest.PageServer::new, BrowserTest.PageServer::port);

    @Test
    void plainHttpGoesThrough() {
        server.server().implemented = true;
        assertEquals("ok", Http.get(server.url("/later")).body());
    }

    @Test
    void theJdkClientRefusesTlsAndSaysWhy() {
        HttpClient client = HttpClient.newBuilder().sslContext(PlainHttpOnly.context())
                .connectTimeout(Duration.ofSeconds(5)).build();
        // The server speaks plain HTTP: whatever answers, the client must not get as far as a TLS handshake.
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/later"))
                .timeout(Duration.ofSeconds(5)).build();
        Exception refused = assertThrows(Exception.class, () -> client.send(request, BodyHandlers.ofString()));
        assertTrue(causes(refused).contains("PlainHttpOnly"), "the refusal should name PlainHttpOnly: " + causes(refused));
    }

    @Test
    void theBrowserRefusesTlsAndSaysWhy() {
        Browser browser = new Browser("Alice");
        try (WebClient client = browser.client()) {
            Exception refused = assertThrows(Exception.class, () -> client.getPage("https://127.0.0.1:" + server.port() + "/"));
            assertTrue(causes(refused).contains("PlainHttpOnly"), "the refusal should name PlainHttpOnly: " + causes(refused));
        }
    }

    private static String causes(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}

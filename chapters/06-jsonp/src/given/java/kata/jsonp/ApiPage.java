package kata.jsonp;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves a page that needs to know where the chat API lives: the server that serves the page puts the
 * API's origin into it, in place of {@code {{API_ORIGIN}}} (a {@code <meta name="chat-api">} tag).
 * The page never takes the API's address from its own URL: a page that loads scripts from wherever its
 * link says would run anybody's script (README.md §1). Given code.
 */
final class ApiPage {
    private ApiPage() {
    }

    static HttpHandler page(Class<?> neighbour, String name, String apiOrigin) {
        if (!apiOrigin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw new IllegalArgumentException("not an origin like http://127.0.0.1:8081: " + apiOrigin);
        }
        String html;
        try (InputStream in = neighbour.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " next to " + neighbour.getName());
            }
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String page = html.replace("{{API_ORIGIN}}", apiOrigin);
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            exchange.getResponseSender().send(page);
        };
    }
}

package kata.cors;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A page next to its server class with the API's origin filled in where it says {@code {{API_ORIGIN}}}:
 * the app and the evil site both need to know where the API is, and its port is known only once it runs.
 */
final class Template {
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?");

    private Template() {
    }

    static HttpHandler page(Class<?> neighbour, String name, Supplier<String> apiOrigin) {
        String text;
        try (InputStream in = neighbour.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " next to " + neighbour.getName());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchange -> {
            String origin = apiOrigin.get();
            if (!ORIGIN.matcher(origin).matches()) { // it goes into HTML: only what an origin may contain
                throw new IllegalStateException("not an origin: " + origin);
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            exchange.getResponseSender().send(text.replace("{{API_ORIGIN}}", origin));
        };
    }

    static boolean isOrigin(String text) {
        return text != null && ORIGIN.matcher(text).matches();
    }
}

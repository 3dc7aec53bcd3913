package kata.chat;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Serves a page that sits next to the server class as a class path resource, as Undertow's examples do. */
public final class Pages {
    private Pages() {
    }

    /** For example {@code Pages.page(PollingServer.class, "index.html")}: read once, served from memory. */
    public static HttpHandler page(Class<?> neighbour, String name) {
        byte[] bytes;
        try (InputStream in = neighbour.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " next to " + neighbour.getName());
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8";
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        };
    }
}

package kata.cors;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import kata.chat.Answer;

/**
 * The app's origin: it serves the chat page and nothing else. The page talks to the API on another
 * origin (another port is another origin), so every call it makes is a cross-origin call. Given code.
 *
 * <pre>
 * GET /?name=Alice   the chat app, logged in as Alice
 * </pre>
 */
public final class AppServer implements AutoCloseable {
    private final Undertow undertow;

    private AppServer(int port, Supplier<String> apiOrigin) {
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routing()
                        .get("/", Template.page(AppServer.class, "app.html", apiOrigin))
                        .setFallbackHandler(Answer::notFound))
                .build();
    }

    /**
     * Starts the app on 127.0.0.1; port 0 picks a free one. {@code apiOrigin} is asked each time the page
     * is served, so the app may start before the API does.
     */
    public static AppServer start(int port, Supplier<String> apiOrigin) {
        AppServer server = new AppServer(port, apiOrigin);
        server.undertow.start();
        return server;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

package kata.cors;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import kata.chat.Answer;

/**
 * A site on another origin that the chat's users also visit, and that tries to use the API with their
 * cookies. Its pages are short: read them, they are the attacks this chapter defends against. Given code.
 *
 * <pre>
 * GET /       links to the three attacks
 * GET /read   reads the API's answers: who you are, the messages        (README.md §4)
 * GET /post   a "simple" POST that needs no preflight, with your cookie  (README.md §6)
 * GET /form   a form that submits itself to the API, with your cookie    (README.md §6)
 * </pre>
 */
public final class EvilServer implements AutoCloseable {
    private final Undertow undertow;

    private EvilServer(int port, Supplier<String> apiOrigin) {
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routing()
                        .get("/", Template.page(EvilServer.class, "evil-index.html", apiOrigin))
                        .get("/read", Template.page(EvilServer.class, "evil-read.html", apiOrigin))
                        .get("/post", Template.page(EvilServer.class, "evil-post.html", apiOrigin))
                        .get("/form", Template.page(EvilServer.class, "evil-form.html", apiOrigin))
                        .setFallbackHandler(Answer::notFound))
                .build();
    }

    /**
     * Starts the evil site on 127.0.0.1; port 0 picks a free one. Reach it as {@code http://127.0.0.1:port}
     * while the app is {@code http://localhost:…}: a different host name, so a different origin and a
     * different site. {@code apiOrigin} must name the API exactly as the app does, host name included:
     * the visitor's cookie belongs to that host name, and the browser sends it to that host whoever asks.
     */
    public static EvilServer start(int port, Supplier<String> apiOrigin) {
        EvilServer server = new EvilServer(port, apiOrigin);
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

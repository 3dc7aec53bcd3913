package kata.jsonp;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import kata.chat.Answer;

/**
 * A site that has nothing to do with the chat, on a third origin, whose page includes the chat API's
 * JSONP as a script, as any page on the web can, and shows what it got. It is here to show the leak
 * on purpose (README.md §8): whatever a JSONP endpoint answers, every site can read, with the visitor's
 * cookies sent along. Given code.
 */
public final class EvilSite implements AutoCloseable {
    private final Undertow undertow;

    private EvilSite(int port, String apiOrigin) {
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routing()
                        .get("/", ApiPage.page(EvilSite.class, "evil.html", apiOrigin))
                        .setFallbackHandler(Answer::notFound))
                .build();
    }

    public static EvilSite start(int port, String apiOrigin) {
        EvilSite site = new EvilSite(port, apiOrigin);
        site.undertow.start();
        return site;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

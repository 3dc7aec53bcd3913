package kata.jsonp;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Requests;

/**
 * The chat's own site, the origin the people open (in the tests {@code http://localhost:P1}). It serves
 * the page and takes the messages people post; the messages are read from the chat API, on another
 * origin, by JSONP. Given code: read it, the lesson is in {@link ChatApi} and the page.
 *
 * <pre>
 * GET  /            the chat page, with the API's origin filled in
 * POST /messages    {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}, handed on to the API
 * </pre>
 *
 * Why the page posts here and not to the API: JSONP can only GET (a {@code <script src>} is a GET), and
 * a cross-origin POST that the page can read the answer of needs CORS, chapter 05. So the page posts to
 * its own origin, and this server hands the message on to the API's back end (README.md §1).
 */
public final class ChatSite implements AutoCloseable {
    private final ChatApi api;
    private final Undertow undertow;

    private ChatSite(int port, ChatApi api, String apiOrigin) {
        this.api = api;
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routes(apiOrigin))
                .build();
    }

    /**
     * Starts the site on 127.0.0.1 (port 0 picks a free one). {@code apiOrigin} is where browsers reach
     * the API, for example {@code http://127.0.0.1:8081}.
     */
    public static ChatSite start(int port, ChatApi api, String apiOrigin) {
        ChatSite site = new ChatSite(port, api, apiOrigin);
        site.undertow.start();
        return site;
    }

    private HttpHandler routes(String apiOrigin) {
        return routing()
                .get("/", ApiPage.page(ChatSite.class, "index.html", apiOrigin))
                .post("/messages", this::postMessage)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    private void postMessage(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                // In a real deployment this is a server-to-server call to the API's back end: the
                // same-origin policy is a browser's rule, servers are not bound by it.
                Answer.json(received, api.post(NewMessage.parse(body)));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

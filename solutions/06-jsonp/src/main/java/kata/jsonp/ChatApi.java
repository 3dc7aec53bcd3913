package kata.jsonp;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;
import kata.chat.Requests;

/**
 * Chapter 06, JSONP: the chat API on an origin of its own (in the tests {@code http://127.0.0.1:P2}),
 * which pages on other origins read by including its answer as a script.
 *
 * <pre>
 * GET /jsonp?cb=NAME&amp;since=N   a script that calls NAME with the messages newer than N, oldest first:
 *                              /**&#47;NAME([{"id":3,"author":"Alice","text":"hi"}]);
 * </pre>
 *
 * Everything it serves, any site can read (README.md §8): the chat is public, so that is fine here.
 */
public final class ChatApi implements AutoCloseable {
    /** How many messages the API keeps; older ones are forgotten. */
    static final int HISTORY = 1000;
    /** The most messages in one answer: a page far behind catches up over a few polls. */
    static final int BATCH = 100;

    private final MessageLog log = new MessageLog(HISTORY);
    private final Undertow undertow;

    private ChatApi(int port) {
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routes())
                .build();
    }

    /** Starts the API on 127.0.0.1; port 0 picks a free one (see {@link #port()}). */
    public static ChatApi start(int port) {
        ChatApi api = new ChatApi(port);
        api.undertow.start();
        return api;
    }

    /** The route table (package-private: the outage test puts it behind a switch). */
    HttpHandler routes() {
        return routing()
                .get("/jsonp", this::jsonp)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    /** Stores a message (the chat site hands on what people post) and returns it with its id. */
    public ChatMessage post(NewMessage message) {
        return log.append(message);
    }

    private void jsonp(HttpServerExchange exchange) {
        // Even an error must never be run as a script: text/plain plus nosniff, and the browser refuses.
        exchange.getResponseHeaders().put(Jsonp.NOSNIFF_HEADER, "nosniff");
        try {
            String callback = Jsonp.callback(exchange);
            long since = Requests.cursor(exchange, "since", 0);
            Jsonp.answer(exchange, callback, log.after(since, BATCH));
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
        }
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

package kata.jsonp;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import kata.chat.Answer;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * Chapter 06, JSONP: the chat API on an origin of its own (in the tests {@code http://127.0.0.1:P2}),
 * which pages on other origins read by including its answer as a script.
 *
 * <pre>
 * GET /jsonp?cb=NAME&amp;since=N   a script that calls NAME with the messages newer than N, oldest first:
 *                              /**&#47;NAME([{"id":3,"author":"Alice","text":"hi"}]);
 * anything else                404, or 405 for a known path with the wrong method   (given)
 * </pre>
 *
 * Start with README.md §2. The tests: {@code mvn test -pl chapters/06-jsonp}.
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

    /** Stores a message (the chat site hands on what people post) and returns it with its id. Given. */
    public ChatMessage post(NewMessage message) {
        return log.append(message);
    }

    private void jsonp(HttpServerExchange exchange) {
        // TODO lesson §2: check ?cb= (Jsonp.callback) and ?since= (kata.chat.Requests.cursor), then answer
        //  200 with Jsonp.script(...) of log.after(since, BATCH). Which Content-Type makes it a script?
        //  Which header stops a browser from running a text/plain error as one (lesson §2)?
        //  And a bad callback or cursor: 400 (kata.chat.Answer.error), no script.
        Answer.notImplemented(exchange, "GET /jsonp?cb=NAME&since=N is yours to write: see README.md §2");
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

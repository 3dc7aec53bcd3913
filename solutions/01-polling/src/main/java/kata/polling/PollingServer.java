package kata.polling;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;

/**
 * Chapter 01, polling: a chat relay that each page asks "anything new since id N?" every interval.
 *
 * <pre>
 * GET  /                   the chat page
 * GET  /time               the seed's simplest poll: the server's time, as text
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}
 * GET  /messages?since=N   the messages with an id greater than N, oldest first: [] when none
 * </pre>
 */
public final class PollingServer implements AutoCloseable {
    /** How many messages the server keeps; older ones are forgotten. */
    static final int HISTORY = 1000;

    private final MessageLog log = new MessageLog(HISTORY);
    private final Undertow undertow;

    private PollingServer(String host, int port) {
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(routes())
                .build();
    }

    /** Starts a server on 127.0.0.1; port 0 picks a free one (see {@link #port()}). */
    public static PollingServer start(int port) {
        PollingServer server = new PollingServer("127.0.0.1", port);
        server.undertow.start();
        return server;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(PollingServer.class, "index.html"))
                .get("/time", this::time)
                .post("/messages", this::postMessage)
                .get("/messages", this::readMessages)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    private void time(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    private void postMessage(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                Answer.json(received, log.append(NewMessage.parse(body)));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    private void readMessages(HttpServerExchange exchange) {
        try {
            long since = Requests.cursor(exchange, "since", 0);
            // An empty answer is as cheap as an answer can be: "[]", no waiting, no work.
            Answer.json(exchange, log.after(since));
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

    /** The demo: {@code mvn -q -pl chapters/01-polling compile exec:java}, then open two tabs. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        PollingServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Chapter 01 (polling) runs at http://localhost:" + server.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Ctrl+C stops it.");
    }
}

package kata.sse;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Deque;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;

/**
 * Chapter 03, Server-Sent Events: a chat relay that pushes every message down one open response per page.
 *
 * <pre>
 * GET  /                   the chat page                                                      (given)
 * GET  /events?name=Bob    text/event-stream: the history after Last-Event-ID, then every event live
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}, and an event to everyone
 * anything else            404, or 405 for a known path with the wrong method
 * </pre>
 *
 * Start with README.md §2. The tests: {@code mvn test -pl chapters/03-sse}. Given: {@link Options}, the
 * server's start and stop, and {@link EventStream} (the non-blocking writer) but for two TODOs.
 */
public final class SseServer implements AutoCloseable {
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    /**
     * The kernel's send buffer per connection (SO_SNDBUF). Left alone, Linux grows it up to 4 MB for a
     * connection (net.ipv4.tcp_wmem): a client that stopped reading would hold megabytes in the kernel
     * before the stream's own bound noticed anything. 64 KiB carries a chat at any speed a person reads.
     */
    static final int SOCKET_SEND_BUFFER = 64 * 1024;

    /**
     * What a server is started with.
     *
     * @param history     how many events are kept for replay; older ones are forgotten
     * @param heartbeat   how often an idle stream gets a {@code : ping} comment
     * @param retry       the reconnection delay the browser is told to use ({@code retry:})
     * @param bufferBytes how many bytes of events may wait for a slow subscriber before it is cut off
     */
    public record Options(int history, Duration heartbeat, Duration retry, int bufferBytes) {
        public Options {
            if (history < 1 || bufferBytes < 1 || heartbeat.isNegative() || heartbeat.isZero()
                    || retry.isNegative()) {
                throw new IllegalArgumentException("history and bufferBytes from 1, heartbeat above 0, retry from 0");
            }
        }

        /** A thousand events, a ping every 15 s (under the usual 30–60 s proxy idle timeouts), retry 2 s, 64 KiB. */
        public static Options defaults() {
            return new Options(1000, Duration.ofSeconds(15), Duration.ofSeconds(2), 64 * 1024);
        }

        public Options withHistory(int events) {
            return new Options(events, heartbeat, retry, bufferBytes);
        }

        public Options withHeartbeat(Duration every) {
            return new Options(history, every, retry, bufferBytes);
        }

        public Options withRetry(Duration delay) {
            return new Options(history, heartbeat, delay, bufferBytes);
        }

        public Options withBufferBytes(int bytes) {
            return new Options(history, heartbeat, retry, bytes);
        }
    }

    private final Options options;
    private final Relay relay;
    private final Undertow undertow;

    private SseServer(String host, int port, Options options) {
        this.options = options;
        this.relay = new Relay(options.history(), options.retry());
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setSocketOption(org.xnio.Options.SEND_BUFFER, SOCKET_SEND_BUFFER)
                .setHandler(routes())
                .build();
    }

    /** Starts a server on 127.0.0.1 with the default options; port 0 picks a free one. */
    public static SseServer start(int port) {
        return start(port, Options.defaults());
    }

    public static SseServer start(int port, Options options) {
        SseServer server = new SseServer("127.0.0.1", port, options);
        server.undertow.start();
        return server;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(SseServer.class, "index.html"))
                .get("/events", this::events)
                .post("/messages", this::postMessage)
                // TODO lesson §8: unknown routes get 404, known paths with a wrong method get 405
                .setFallbackHandler(exchange -> Answer.notImplemented(exchange, "Routing: see README.md §8"));
    }

    /**
     * Opens a stream and leaves it open. No thread waits on it: the handler returns at once, and the
     * response stays open because nobody ends it — events are written later, by whoever publishes them.
     */
    private void events(HttpServerExchange exchange) {
        // TODO lesson §2 and §3: check ?name= (name() below), answer 200 with the headers of an event stream,
        //  make an EventStream of the exchange (relay::remove is who learns that it ended), then hand it to
        //  the relay — and leave the exchange open: exchange.dispatch(SameThreadExecutor.INSTANCE, () -> …)
        //  runs after this handler returns and tells Undertow "not finished". Start its heartbeat (§6).
        //  The Last-Event-ID request header says where a reconnecting browser left off (§4).
        Answer.notImplemented(exchange, "GET /events is yours to write: see README.md §2");
    }

    /** {@code ?name=Bob}: who is online. Absent or blank: a stream that only watches. */
    private static String name(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("name");
        String name = values == null || values.isEmpty() ? "" : values.getFirst().strip();
        if (name.length() > NewMessage.MAX_AUTHOR) {
            throw new BadRequest(400, "\"name\" is longer than " + NewMessage.MAX_AUTHOR + " characters");
        }
        return name.isEmpty() ? null : name;
    }

    private void postMessage(HttpServerExchange exchange) {
        // TODO lesson §2 and §8: read the JSON body (kata.chat.Requests), check it (kata.chat.NewMessage),
        //  publish it as a "message" event whose data is the line as shown ("Alice: hi"), and answer with the
        //  message and its event's id — or with the right error.
        Answer.notImplemented(exchange, "POST /messages is yours to write: see README.md §2");
    }

    /** How many streams are open right now. */
    public int subscriberCount() {
        return relay.subscriberCount();
    }

    /** Cuts every open stream, as a network failure would; returns how many. Browsers reconnect by themselves. */
    public int disconnectAll() {
        return relay.disconnectAll();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        relay.disconnectAll();
        undertow.stop();
    }

    /** The demo: {@code mvn -q -pl chapters/03-sse compile exec:java}, then open two tabs. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        SseServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Chapter 03 (Server-Sent Events) runs at http://localhost:" + server.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Ctrl+C stops it.");
    }
}

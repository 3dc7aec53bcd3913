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
 * GET  /                   the chat page
 * GET  /events?name=Bob    text/event-stream: the history after Last-Event-ID, then every event live
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}, and an event to everyone
 * </pre>
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
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    /**
     * Opens a stream and leaves it open. No thread waits on it: the handler returns at once, and the
     * response stays open because nobody ends it — events are written later, by whoever publishes them.
     */
    private void events(HttpServerExchange exchange) {
        String name;
        try {
            name = name(exchange);
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
            return;
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        // nginx buffers responses unless told not to; an event must not wait in a proxy's buffer
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
        exchange.setPersistent(false); // the stream ends with its connection: no chunked framing, no reuse
        String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        EventStream stream = new EventStream(exchange, name, options.bufferBytes(), relay::remove);
        // "not finished yet": the exchange stays open after this handler returns
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            relay.subscribe(stream, lastEventId);
            stream.startHeartbeat(options.heartbeat());
        });
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
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                NewMessage message = NewMessage.parse(body);
                StreamEvent event = relay.publish(StreamEvent.MESSAGE, message.author() + ": " + message.text());
                Answer.json(received, message.withId(event.id()));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
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

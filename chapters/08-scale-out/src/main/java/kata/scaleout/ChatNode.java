package kata.scaleout;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import kata.chat.Answer;
import kata.chat.Pages;

/**
 * Chapter 08, scale-out: one node of a chat that runs on several. Nodes share nothing but Redis: a message
 * posted on any node goes into the Redis stream, every node follows the stream and delivers to its own
 * clients, and a client resumes on any node from the stream id it saw last.
 *
 * <pre>
 * GET  /                   the chat page (?name=Alice&amp;transport=longpoll|sse)         (given)
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": "1718000000000-0", ...}; 503 without Redis
 * GET  /messages?since=ID  long poll: the messages after stream id ID, held until there is one; 410 when ID
 *                          fell off the stream (reload); 503 without Redis
 * GET  /events?since=ID    Server-Sent Events from ID (or from Last-Event-ID), event ids = stream ids;
 *                          "reload" event when ID fell off the stream; 503 without Redis
 * anything else            404, or 405 for a known path with the wrong method
 * </pre>
 *
 * Start with README.md §2. The tests: {@code mvn test -pl chapters/08-scale-out} (they start a real Redis).
 */
public final class ChatNode implements AutoCloseable {
    /**
     * A page of messages: what a page that has seen nothing (cursor 0) gets first, the newest this many, and the most
     * a long poll answers at once (a page far behind catches up over a few polls).
     */
    static final int PAGE = 100;
    /** The most an event stream replays on connecting; a client further behind is told to reload. */
    static final int REPLAY_LIMIT = 1000;

    private final NodeConfig config;
    private final Broker broker;
    private final Fanout fanout;
    private final Undertow undertow;

    private ChatNode(String host, int port, NodeConfig config) {
        this.config = config;
        this.broker = new Broker(config.redisUri(), config.maxLength());
        this.fanout = new Fanout(config.maxPending());
        this.undertow = config.undertowBuilder()
                .addHttpListener(port, host)
                .setHandler(servedBy(config.name(), routes()))
                .build();
    }

    /** Every answer names the node that gave it (X-Served-By: A): for the balancer's log and your network panel. */
    private static HttpHandler servedBy(String name, HttpHandler next) {
        return exchange -> {
            exchange.getResponseHeaders().put(new HttpString(Balancer.SERVED_BY), name);
            next.handleRequest(exchange);
        };
    }

    /** Starts a node on 127.0.0.1; port 0 picks a free one (see {@link #port()}). */
    public static ChatNode start(int port, NodeConfig config) {
        ChatNode node = new ChatNode("127.0.0.1", port, config);
        // TODO README.md §5: when the port is taken, this throws with the broker's Redis connections open: close
        //  them, and say which node and which port
        node.undertow.start();
        // TODO README.md §3: start following the stream, delivering to this node's fanout
        return node;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(ChatNode.class, "index.html"))
                .post("/messages", this::postMessage)
                .get("/messages", this::longPoll)
                .get("/events", this::eventStream)
                // TODO README.md §8: unknown routes get 404, known paths with a wrong method get 405
                .setFallbackHandler(exchange -> Answer.notImplemented(exchange, "Routing: see README.md §8"));
    }

    private void postMessage(HttpServerExchange exchange) {
        // TODO README.md §3 and §7: read and check the message (Requests.receiveJson, NewMessage.parse), XADD it
        //  through the broker without blocking (exchange.dispatch), answer the stored message — or 503 without Redis.
        Answer.notImplemented(exchange, "POST /messages is yours to write: see README.md §3");
    }

    private void longPoll(HttpServerExchange exchange) {
        // TODO README.md §4: the cursor is StreamId.cursor(exchange). Subscribe first, then read the catch-up;
        //  answer with whichever brings news first, or [] after config.hold(); 410 when too old (§6); 503 (§7).
        Answer.notImplemented(exchange, "GET /messages?since=ID is yours to write: see README.md §4");
    }

    private void eventStream(HttpServerExchange exchange) {
        // TODO README.md §4: the same, as Server-Sent Events: retry and keep-alive (§2), then one event per message with its stream id
        //  as the event id (io.undertow.server.handlers.sse); a "reload" event when too old (§6); 503 (§7).
        Answer.notImplemented(exchange, "GET /events is yours to write: see README.md §4");
    }

    /** How many of this node's clients wait for news (held long polls, open event streams): for its monitoring. */
    int waiting() {
        return fanout.size();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
        broker.close();
    }

    /** One node, for a quick look: {@code ChatNode 8081 redis://127.0.0.1:6379}. The two-node demo is {@link ScaleOutDemo}. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        String redis = args.length > 1 ? args[1] : "redis://127.0.0.1:6379";
        ChatNode node = start(port, NodeConfig.of("node", redis));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println("Chat node on http://localhost:" + node.port() + "/?name=Alice, Redis at " + redis);
    }
}

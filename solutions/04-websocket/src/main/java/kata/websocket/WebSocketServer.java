package kata.websocket;

import static io.undertow.Handlers.routing;
import static io.undertow.Handlers.websocket;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;

/**
 * Chapter 04, WebSocket: the chat over one socket per page, both ways at once.
 *
 * <pre>
 * GET /                               the chat page
 * GET /ws?name=Alice&amp;since=N          the socket: opening handshake → 101, then JSON frames both ways (see
 *                                     {@link Frames}); first the messages after id N, then everything live.
 *                                     403 for a page of a foreign Origin, 400 for a bad name or since,
 *                                     426 for a plain GET that asks for no upgrade
 * </pre>
 */
public final class WebSocketServer implements AutoCloseable {
    /** How long a shutdown waits for the close frames to be written before it stops the server anyway. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private final Settings settings;
    private final Relay relay;
    private final KeepAlive keepAlive;
    private final Undertow undertow;
    private volatile Set<String> allowedOrigins = Set.of();
    private volatile boolean closed;

    private WebSocketServer(String host, int port, Settings settings) {
        this.settings = settings;
        this.relay = new Relay(settings.history());
        this.keepAlive = new KeepAlive(relay, settings.pingInterval(), settings.pongTimeout(), settings.clock());
        this.undertow = settings.undertowBuilder()
                .addHttpListener(port, host)
                .setHandler(routes())
                .build();
    }

    /** Starts a server on 127.0.0.1 with the default settings; port 0 picks a free one (see {@link #port()}). */
    public static WebSocketServer start(int port) {
        return start(port, Settings.defaults());
    }

    public static WebSocketServer start(int port, Settings settings) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", port, settings);
        server.undertow.start();
        Set<String> allowed = new HashSet<>(settings.allowedOrigins());
        allowed.add("http://localhost:" + server.port());
        allowed.add("http://127.0.0.1:" + server.port());
        server.allowedOrigins = Set.copyOf(allowed);
        return server;
    }

    private HttpHandler routes() {
        WebSocketProtocolHandshakeHandler upgrade = websocket(this::connected, this::noUpgrade);
        return routing()
                .get("/", Pages.page(WebSocketServer.class, "index.html"))
                .get("/ws", exchange -> handshake(exchange, upgrade))
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    /**
     * Everything that must be refused is refused here, before the upgrade, with an HTTP status: after a 101
     * there is no status any more, only close codes.
     */
    private void handshake(HttpServerExchange exchange, HttpHandler upgrade) throws Exception {
        // A browser always sends Origin with a WebSocket handshake, and the page's script cannot change it.
        // The cookies ride along whatever page opened the socket, so this check is the only thing between a
        // foreign page and the user's session (cross-site WebSocket hijacking). A client without Origin is
        // not a browser: it has no victim's cookies to abuse.
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin != null && !allowedOrigins.contains(origin)) {
            Answer.error(exchange, StatusCodes.FORBIDDEN,
                    "WebSocket handshakes from pages of " + origin + " are refused: that origin is not allowed");
            return;
        }
        try {
            requireName(exchange.getQueryParameters().get("name"));
            Requests.cursor(exchange, "since", 0);
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
            return;
        }
        upgrade.handleRequest(exchange);
    }

    private void noUpgrade(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
        Answer.error(exchange, StatusCodes.UPGRADE_REQUIRED,
                "/ws is a WebSocket: open it with new WebSocket('ws://…/ws?name=…')");
    }

    /** After the 101: the socket is open. Checked in {@link #handshake}, so the parameters are valid here. */
    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Map<String, List<String>> query = exchange.getRequestParameters();
        String name = query.get("name").get(0);
        List<String> since = query.get("since");
        Peer peer = new Peer(channel, name, settings.queueBytes(), settings.closeGrace(), settings.clock(),
                relay::leave);
        channel.addCloseTask(ws -> relay.leave(peer));
        channel.getReceiveSetter().set(new Inbox(peer, relay, settings.maxMessageBytes()));
        relay.join(peer, since == null ? 0 : Long.parseLong(since.get(0)));
        channel.resumeReceives();
    }

    private static void requireName(Deque<String> values) {
        String name = values == null ? null : values.getFirst();
        if (name == null || name.isBlank()) {
            throw new BadRequest(StatusCodes.BAD_REQUEST, "say who you are: /ws?name=Alice");
        }
        if (name.length() > NewMessage.MAX_AUTHOR) {
            throw new BadRequest(StatusCodes.BAD_REQUEST, "\"name\" is longer than " + NewMessage.MAX_AUTHOR + " characters");
        }
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** How many sockets are open: each one the relay still sends to. */
    public int openSockets() {
        return relay.size();
    }

    /**
     * Closes every socket with 1001 Going Away (the pages reconnect, later, elsewhere), waits a moment for
     * those close frames to be written, then stops. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.close();
        List<Peer> peers = relay.shutDown();
        for (Peer peer : peers) {
            peer.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        // The peers that do not take their close frame in time are cut by the stop.
        CompletableFuture.allOf(peers.stream().map(Peer::closeSent).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        undertow.stop();
    }

    /** The demo: {@code mvn -q -pl chapters/04-websocket compile exec:java}, then open two tabs. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        WebSocketServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Chapter 04 (WebSocket) runs at http://localhost:" + server.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Ctrl+C stops it.");
    }
}

package kata.websocket;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import kata.chat.Answer;
import kata.chat.Pages;

/**
 * Chapter 04, WebSocket: the chat over one socket per page, both ways at once.
 *
 * <pre>
 * GET /                               the chat page              (complete: read its script, it is the client half)
 * GET /ws?name=Alice&amp;since=N          the socket: opening handshake → 101, then JSON frames both ways (see
 *                                     {@link Frames}); first the messages after id N, then everything live.
 *                                     403 for a page of a foreign Origin, 400 for a bad name or since,
 *                                     426 for a plain GET that asks for no upgrade
 * </pre>
 *
 * Start with README.md §1. The tests: {@code mvn test -pl chapters/04-websocket}.
 * Given: {@link Settings}, {@link Frames}, {@link History}, {@link CloseCodes}. Yours: this class's
 * {@code /ws}, {@link Relay}, {@link Peer}, {@link Inbox}, {@link KeepAlive}, and the page
 * ({@code src/main/resources/kata/websocket/index.html}), which is complete: read it, change it if you like.
 */
public final class WebSocketServer implements AutoCloseable {
    private final Settings settings;
    private final Relay relay;
    private final KeepAlive keepAlive;
    private final Undertow undertow;

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
        // TODO lesson §5: the origins allowed to open a socket: settings.allowedOrigins() and the server's own,
        //  http://localhost:PORT and http://127.0.0.1:PORT (the port is known only now).
        return server;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(WebSocketServer.class, "index.html"))
                .get("/ws", this::handshake)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    private void handshake(HttpServerExchange exchange) {
        // TODO lesson §1: hand the request to Undertow's WebSocket handshake, Handlers.websocket(this::connected),
        //  which answers 101 and calls connected(...) with the open channel.
        // TODO lesson §5: before that, refuse a handshake whose Origin is not allowed: 403, no upgrade.
        // TODO lesson §1: and refuse a missing or too long ?name=, a ?since= that is not a whole number: 400.
        Answer.notImplemented(exchange, "the WebSocket endpoint /ws is yours to write: see README.md §1");
    }

    /** After the 101: the socket is open. */
    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        // TODO lesson §2 and §3: a Peer for the channel, an Inbox that reads what it sends, and the relay
        //  (with the history after ?since=, §7). Do not forget channel.resumeReceives(), and to remove the
        //  peer from the relay when the channel closes (channel.addCloseTask).
        throw new UnsupportedOperationException("TODO lesson §2: the socket is open, now what?");
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** How many sockets are open: each one the relay still sends to. */
    public int openSockets() {
        return 0; // TODO lesson §9: ask the relay
    }

    /**
     * Stops the server. Calling it again does nothing.
     */
    @Override
    public void close() {
        // TODO lesson §9: first close every socket with 1001 Going Away and give the close frames a moment
        //  to be written; then stop the keep-alive ticker and Undertow.
        keepAlive.close();
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

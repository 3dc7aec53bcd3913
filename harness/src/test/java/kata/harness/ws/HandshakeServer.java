package kata.harness.ws;

import kata.harness.Eventually;
import static io.undertow.Handlers.path;
import static io.undertow.Handlers.websocket;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;

/**
 * A site on 127.0.0.1 and a free port, one per test:
 * <ul>
 *   <li>{@code GET /page} sets the cookie {@code <name>-sid} and opens a WebSocket, to this site's
 *       {@code /ws} or to the URL in {@code ?ws=}; with {@code ?busyMillis=} its script stays busy that
 *       long before it sets the socket's handlers; the page logs what happens into {@code <pre id=log>};</li>
 *   <li>{@code /ws} records every handshake's request headers and every text it receives, and echoes
 *       each text back as {@code echo: <text>};</li>
 *   <li>{@code /ws-same-origin-only} is {@code /ws} for pages of this site's origin, and answers
 *       {@code 403} to a handshake with any other {@code Origin}, as a server safe from cross-site
 *       WebSocket hijacking does.</li>
 * </ul>
 */
final class HandshakeServer implements BeforeEachCallback, AfterEachCallback {

    /** The request headers of one opening handshake; names ignore case, as HTTP's do. */
    record Handshake(Map<String, List<String>> headers) {

        List<String> values(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /** The one value of a header, or a failure naming what was there. */
        String single(String name) {
            List<String> values = values(name);
            if (values.size() != 1) {
                throw new AssertionError("Expected one '" + name + "' header in the handshake, got " + values
                        + ". All headers: " + headers);
            }
            return values.get(0);
        }
    }

    private final HttpHandler sameOriginSocket = websocket(new RecordAndEcho());
    private final String name;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Undertow undertow;
    private int port;

    HandshakeServer(String name) {
        this.name = name;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        kata.harness.QuietLogs.install();
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(path()
                        .addExactPath("/page", this::page)
                        .addExactPath("/ws", websocket(new RecordAndEcho()))
                        .addExactPath("/ws-same-origin-only", this::sameOriginOnly))
                .build();
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (undertow != null) {
            undertow.stop();
        }
    }

    /** How a browser writes this site's origin: {@code http://127.0.0.1:<port>}. */
    String origin() {
        return "http://127.0.0.1:" + port;
    }

    String cookieName() {
        return name + "-sid";
    }

    String cookieValue() {
        return "secret-of-" + name;
    }

    String socketUrl() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    String sameOriginOnlySocketUrl() {
        return "ws://127.0.0.1:" + port + "/ws-same-origin-only";
    }

    /** The page that opens a socket to this site's own {@code /ws}. */
    String pageUrl() {
        return origin() + "/page";
    }

    /** The page that opens a socket to {@code socketUrl}, wherever that is. */
    String pageOpeningSocketTo(String socketUrl) {
        return pageUrl() + "?ws=" + URLEncoder.encode(socketUrl, StandardCharsets.UTF_8);
    }

    /** Every handshake received so far, oldest first. */
    List<Handshake> handshakes() {
        return List.copyOf(handshakes);
    }

    /**
     * The page that opens a socket to this site, then keeps its script busy for {@code millis} before it
     * sets the socket's handlers, as a slow page would: a browser still delivers {@code open} afterwards.
     */
    String pageSettingHandlersLate(int millis) {
        return pageUrl() + "?busyMillis=" + millis;
    }

    /** The first handshake this site received, waiting for it. */
    Handshake awaitHandshake() {
        return Eventually.await("a WebSocket handshake at " + socketUrl(),
                () -> handshakes.stream().findFirst(), () -> "no handshake");
    }

    /** Waits until the socket endpoint received {@code text}. */
    void awaitReceived(String text) {
        Eventually.await("'" + text + "' to arrive at " + socketUrl(),
                () -> received.contains(text) ? Optional.of(text) : Optional.empty(),
                () -> "received " + received);
    }

    private void page(HttpServerExchange exchange) {
        String target = Optional.ofNullable(exchange.getQueryParameters().get("ws"))
                .map(values -> values.getFirst())
                .orElse(socketUrl());
        if (!target.matches("wss?://[\\w.:\\[\\]/-]+")) {
            exchange.setStatusCode(400);
            exchange.getResponseSender().send("not a ws URL: " + target);
            return;
        }
        int busyMillis = Optional.ofNullable(exchange.getQueryParameters().get("busyMillis"))
                .map(values -> Integer.parseInt(values.getFirst()))
                .orElse(0);
        exchange.setResponseCookie(new CookieImpl(cookieName(), cookieValue()).setPath("/"));
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send("""
                <!DOCTYPE html>
                <html><head><title>%s</title></head>
                <body>
                <pre id="log"></pre>
                <script>
                  function log(line) { document.getElementById('log').textContent += line + '\\n'; }
                  var socket = new WebSocket('%s');
                  var busyUntil = Date.now() + %d;
                  while (Date.now() < busyUntil) { }
                  socket.onopen = function () { log('open'); socket.send('hello from the page'); };
                  socket.onmessage = function (event) { log('message ' + event.data); };
                  socket.onerror = function () { log('error'); };
                  socket.onclose = function (event) { log('close ' + event.code); };
                </script>
                </body></html>
                """.formatted(name, target, busyMillis));
    }

    private void sameOriginOnly(HttpServerExchange exchange) throws Exception {
        if (!origin().equals(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            exchange.setStatusCode(403);
            exchange.getResponseSender().send("WebSockets of " + origin() + " only");
            return;
        }
        sameOriginSocket.handleRequest(exchange);
    }

    /** Records the handshake, then echoes each text message. */
    private final class RecordAndEcho implements WebSocketConnectionCallback {

        @Override
        public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((header, values) -> headers.put(header, List.copyOf(values)));
            handshakes.add(new Handshake(headers));
            channel.getReceiveSetter().set(new Echo());
            channel.resumeReceives();
        }
    }

    private final class Echo extends AbstractReceiveListener {

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            String text = message.getData();
            received.add(text);
            WebSockets.sendText("echo: " + text, channel, null);
        }
    }
}

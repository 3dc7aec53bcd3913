package kata.harness.ws;

import org.htmlunit.WebClient;

/**
 * Makes HtmlUnit's {@code WebSocket} open its handshake as a browser does. Out of the box HtmlUnit 5.7.0
 * sends no {@code Origin} and {@code User-Agent: Jetty/...}; after {@link #install} every
 * {@code new WebSocket(url)} in a page sends
 * <ul>
 *   <li>{@code Origin}: the origin of the page that created the socket ({@code http://127.0.0.1:8080}:
 *       no default port, no path; {@code null} for a page with an opaque origin),</li>
 *   <li>{@code Cookie}: the cookies the WebClient's CookieManager holds for the socket's URL (those of
 *       {@code http://} for {@code ws://}, of {@code https://} for {@code wss://}),</li>
 *   <li>{@code User-Agent}: the browser's, {@code client.getBrowserVersion().getUserAgent()}.</li>
 * </ul>
 * So a server can be tested for refusing a foreign {@code Origin} (cross-site WebSocket hijacking).
 */
public final class BrowserLikeWebSockets {

    private BrowserLikeWebSockets() {
    }

    /** Call right after creating the WebClient, before loading a page. */
    public static void install(WebClient client) {
        install(client, HandshakeObserver.NONE);
    }

    /** As {@link #install(WebClient)}, and tells {@code observer} the status that answered each handshake. */
    public static void install(WebClient client, HandshakeObserver observer) {
        SharedWebSocketClient shared = SharedWebSocketClient.of(client);
        client.setWebSocketAdapter((webClient, page) -> new BrowserLikeWebSocketAdapter(webClient, shared, page, observer));
    }
}

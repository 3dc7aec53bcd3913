package kata.harness.ws;

import java.io.IOException;
import java.util.concurrent.Executor;
import org.htmlunit.WebClient;
import org.htmlunit.WebClientOptions;
import org.htmlunit.jetty.client.HttpClient;
import org.htmlunit.jetty.http.HttpCookieStore;
import org.htmlunit.jetty.http.HttpField;
import org.htmlunit.jetty.http.HttpHeader;
import org.htmlunit.jetty.util.ssl.SslContextFactory;
import org.htmlunit.jetty.util.thread.QueuedThreadPool;
import org.htmlunit.jetty.websocket.client.WebSocketClient;
import org.htmlunit.util.WebConnectionWrapper;

/**
 * The one Jetty WebSocket client of a WebClient, as a browser has one network stack for all its sockets.
 *
 * <p>HtmlUnit's own adapter builds and starts a Jetty client (its thread pool, its selector) for every
 * {@code new WebSocket(...)}, on the page's script thread, and stops it only when the page closes that
 * socket: a page that reconnects after each server close keeps one more client (and its threads) per try,
 * and each try pays for a start-up on a crowded machine. Here the client starts with the first socket and
 * stops when the WebClient closes.
 */
final class SharedWebSocketClient {

    private final WebClient webClient;
    private WebSocketClient client;
    private QueuedThreadPool threads;

    private SharedWebSocketClient(WebClient webClient) {
        this.webClient = webClient;
    }

    /** The shared client of {@code webClient}, stopped when the WebClient closes (it closes its web connection). */
    static SharedWebSocketClient of(WebClient webClient) {
        SharedWebSocketClient shared = new SharedWebSocketClient(webClient);
        new WebConnectionWrapper(webClient) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                }
                finally {
                    shared.stop();
                }
            }
        };
        return shared;
    }

    /** The started client; the first call starts it. */
    synchronized WebSocketClient started() throws Exception {
        if (client == null) {
            // Its own pool (HtmlUnit's adapter uses the WebClient's executor, which prints on stderr what Jetty's
            // pool logs through slf4j); daemon threads, so a WebClient left open does not keep a JVM alive.
            QueuedThreadPool pool = new QueuedThreadPool();
            pool.setName("kata-websocket");
            pool.setDaemon(true);
            // Stop at once when the WebClient closes: the page events the pool also runs (the adapter's toPage) may
            // wait for a page that is closing, and Jetty's default would wait 5 s for them, at the end of every test
            // whose page had a socket open (07's tests that end on WebSocket: 5 s each).
            pool.setStopTimeout(0);
            WebSocketClient starting = newClient(webClient, pool);
            starting.start();
            threads = pool;
            client = starting;
        }
        return client;
    }

    /** The client's threads, which also run the adapters' page events (see BrowserLikeWebSocketAdapter#toPage). */
    synchronized Executor threads() {
        try {
            started();
        } catch (Exception e) {
            throw new IllegalStateException("HtmlUnit's WebSocket client did not start", e);
        }
        return threads;
    }

    synchronized void stop() {
        if (client == null) {
            return;
        }
        try {
            client.stop();
            client.destroy();
        }
        catch (Exception e) {
            // The WebClient is closing: nothing is left to tell.
        }
        finally {
            client = null;
            threads = null;
        }
    }

    private static WebSocketClient newClient(WebClient webClient, QueuedThreadPool threads) {
        WebClientOptions options = webClient.getOptions();
        HttpClient http = new HttpClient();
        if (options.isUseInsecureSSL()) {
            http.setSslContextFactory(new SslContextFactory.Client(true));
        }
        http.setExecutor(threads);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, webClient.getBrowserVersion().getUserAgent()));
        // The Cookie header is written from the WebClient's CookieManager at each connect (the adapter's cookieHeader).
        http.setHttpCookieStore(new HttpCookieStore.Empty());

        WebSocketClient client = new WebSocketClient(http);
        if (options.getWebSocketMaxTextMessageSize() > 0) {
            client.setMaxTextMessageSize(options.getWebSocketMaxTextMessageSize());
        }
        if (options.getWebSocketMaxBinaryMessageSize() > 0) {
            client.setMaxBinaryMessageSize(options.getWebSocketMaxBinaryMessageSize());
        }
        return client;
    }
}

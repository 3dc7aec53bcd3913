package kata.harness.ws;

import kata.harness.WebOrigin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.http.Cookie;
import org.htmlunit.jetty.websocket.api.Callback;
import org.htmlunit.jetty.websocket.api.Session;
import org.htmlunit.jetty.websocket.api.UpgradeResponse;
import org.htmlunit.jetty.websocket.api.exceptions.UpgradeException;
import org.htmlunit.jetty.websocket.client.ClientUpgradeRequest;
import org.htmlunit.websocket.WebSocketAdapter;
import org.htmlunit.websocket.WebSocketListener;

/**
 * One page's {@code WebSocket}, carried by HtmlUnit's shaded Jetty client, whose opening handshake
 * carries what a browser's does: the {@code Origin} of the page that created the socket, the cookies
 * the WebClient holds for the socket's URL, and the browser's {@code User-Agent}.
 *
 * <p>HtmlUnit's own {@code JettyWebSocketAdapter} is final and connects without an upgrade request of
 * its own, so there is nothing to extend or wrap; this class talks to the same Jetty client directly.
 *
 * <p>Built by the WebClient inside the page's {@code new WebSocket(...)}, on the thread running the page's
 * script: that is when the origin of the creating page is read.
 */
final class BrowserLikeWebSocketAdapter implements WebSocketAdapter {

    private final WebClient webClient;
    private final WebSocketListener page;
    private final Optional<String> origin;
    private final HandshakeObserver observer;
    private URI url;
    /** Held while the page's script runs (HtmlUnit runs a page's scripts one at a time, under its monitor). */
    private final Object pageTurn;
    private final SharedWebSocketClient client;
    private CompletableFuture<Session> connecting;
    /** Set by the page's close: a handshake still on its way is then dropped when it completes. */
    private volatile boolean closed;
    private volatile Session connectedSession;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Session openSession;

    BrowserLikeWebSocketAdapter(WebClient webClient, SharedWebSocketClient client, WebSocketListener page, HandshakeObserver observer) {
        this.webClient = webClient;
        this.page = page;
        this.observer = observer;
        Optional<Page> creator = WebOrigin.pageOfRunningScript();
        this.origin = creator.map(WebOrigin::of);
        this.pageTurn = creator.isPresent() ? creator.get() : new Object();
        this.client = client;
    }

    @Override
    public void start() throws Exception {
        client.started();
    }

    @Override
    public void connect(URI url) throws Exception {
        connect(url, List.of());
    }

    @Override
    public void connect(URI url, List<String> subProtocols) throws Exception {
        this.url = url;
        ClientUpgradeRequest handshake = new ClientUpgradeRequest(url);
        origin.ifPresent(o -> handshake.setHeader("Origin", o));
        cookieHeader(url).ifPresent(c -> handshake.setHeader("Cookie", c));
        if (!subProtocols.isEmpty()) {
            handshake.setSubProtocols(subProtocols);
        }
        page.onWebSocketConnecting();
        connecting = client.started().connect(new ToPage(), handshake);
        connecting.whenComplete(this::connected);
    }

    /** {@code name=value; name=value} of the WebClient's cookies for the http(s) twin of a ws(s) URL. */
    private Optional<String> cookieHeader(URI wsUrl) throws MalformedURLException {
        String scheme = "wss".equalsIgnoreCase(wsUrl.getScheme()) ? "https" : "http";
        URL httpUrl = new URL(scheme, wsUrl.getHost(), wsUrl.getPort(), wsUrl.getRawPath().isEmpty() ? "/" : wsUrl.getRawPath());
        String cookies = webClient.getCookies(httpUrl).stream()
                .map(BrowserLikeWebSocketAdapter::cookiePair)
                .collect(Collectors.joining("; "));
        return cookies.isEmpty() ? Optional.empty() : Optional.of(cookies);
    }

    private static String cookiePair(Cookie cookie) {
        return cookie.getName().isEmpty() ? cookie.getValue() : cookie.getName() + "=" + cookie.getValue();
    }

    private void connected(Session session, Throwable failure) {
        if (closed) {
            // The page closed the socket before it opened: no event for the page, and no socket left open.
            if (session != null) {
                session.close();
            }
            return;
        }
        if (failure == null) {
            connectedSession = session;
            observer.answered(url, 101);
            return;
        }
        Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                ? failure.getCause() : failure;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UpgradeException refused && refused.getResponseStatusCode() > 0) {
                observer.answered(url, refused.getResponseStatusCode());
                break;
            }
        }
        // Every failed handshake is the page's error, whatever exception Jetty gives (a dropped connection is an
        // EOFException): the page sees it as a browser's does (error, then close 1006), or its reconnect loop waits
        // for an event that never comes. (Only the page's own close before the socket opened is no error: `closed`.)
        toPage(() -> page.onWebSocketConnectError(cause));
    }

    @Override
    public String getSelectedProtocol() {
        Session session = openSession;
        UpgradeResponse response = session == null ? null : session.getUpgradeResponse();
        String protocol = response == null ? null : response.getAcceptedSubProtocol();
        return protocol == null ? "" : protocol;
    }

    @Override
    public void send(Object content) throws IOException {
        Session session = openSession;
        if (session == null) {
            throw new IOException("WebSocket is not open");
        }
        if (content instanceof String text) {
            session.sendText(text, Callback.NOOP);
        }
        else if (content instanceof ByteBuffer bytes) {
            session.sendBinary(bytes, Callback.NOOP);
        }
        else {
            throw new IllegalArgumentException("Cannot send a " + content.getClass().getName() + " over a WebSocket");
        }
    }

    @Override
    public void closeIncomingSession() {
        Session session = connectedSession;
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void closeOutgoingSession() {
        Session session = openSession;
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void closeOutgoingSession(int code, String reason) {
        Session session = openSession;
        if (session != null) {
            session.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public void closeClient() {
        // The client is the WebClient's, shared by its sockets (SharedWebSocketClient); only this socket ends.
        closed = true;
        CompletableFuture<Session> handshake = connecting;
        if (handshake != null) {
            handshake.cancel(true);
        }
        Session session = connectedSession;
        if (session != null && session.isOpen()) {
            session.close();
        }
    }

    /**
     * Queues a page event, to run after the page's running script, as a browser runs each socket event as a
     * task of its own: one at a time, in the order they came, on the shared client's threads, each under the
     * page's monitor (HtmlUnit runs a page's scripts one at a time under it).
     *
     * <p>Never at once on the calling thread: Jetty may call back on the very thread that runs the page's
     * {@code new WebSocket(...)} — a handshake that fails at once (a dropped connection), or that completes
     * on a connection kept from the previous handshake — and that thread already holds the monitor (it is
     * reentrant): the event would fire before the script set {@code onopen} or {@code onerror}, into no handler,
     * and a page that reconnects on close would wait for ever. Nor on the common ForkJoinPool, which has one
     * thread on two cores, where one page waiting for its turn would hold up every other page's events.
     */
    private void toPage(Runnable event) {
        pending.add(event);
        if (draining.compareAndSet(false, true)) {
            client.threads().execute(this::drain);
        }
    }

    private void drain() {
        do {
            for (Runnable event = pending.poll(); event != null; event = pending.poll()) {
                synchronized (pageTurn) {
                    event.run();
                }
            }
            draining.set(false);
        } while (!pending.isEmpty() && draining.compareAndSet(false, true));
    }

    /**
     * Hands Jetty's events to the page's {@code WebSocket} object. Public only because Jetty calls these
     * methods through a public method-handle lookup ("Unable to access method" otherwise).
     */
    public final class ToPage implements Session.Listener.AutoDemanding {

        @Override
        public void onWebSocketOpen(Session session) {
            if (closed) {
                session.close();
                return;
            }
            openSession = session;
            toPage(page::onWebSocketOpen);
        }

        @Override
        public void onWebSocketText(String message) {
            toPage(() -> page.onWebSocketText(message));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            // Jetty reuses the payload's buffer once the callback succeeds: the queued event keeps a copy.
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            toPage(() -> page.onWebSocketBinary(copy));
        }

        @Override
        public void onWebSocketClose(int code, String reason, Callback callback) {
            openSession = null;
            callback.succeed();
            toPage(() -> page.onWebSocketClose(code, reason));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            openSession = null;
            // A channel closed under a socket already closing is no news for the page.
            if (!(cause instanceof ClosedChannelException)) {
                toPage(() -> page.onWebSocketError(cause));
            }
        }
    }
}

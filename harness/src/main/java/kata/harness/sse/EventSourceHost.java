package kata.harness.sse;

import kata.harness.WebOrigin;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.JavaScriptEngine;
import org.htmlunit.javascript.background.BasicJavaScriptJob;
import org.htmlunit.javascript.host.event.Event;
import org.htmlunit.javascript.host.event.EventTarget;
import org.htmlunit.javascript.host.event.MessageEvent;

/**
 * The object a page gets from {@code new EventSource(url)}: an {@link EventTarget} (so
 * {@code addEventListener}, {@code removeEventListener}, {@code dispatchEvent} and the
 * {@code on<type>} handlers work as for any HtmlUnit event target) with the state of the WHATWG
 * EventSource interface. Its properties are defined on the prototype by {@link EventSourceConstructor}.
 *
 * <p>Threads: the stream is read by an {@link EventSourceConnection} on its own thread. Everything the
 * page can see - {@code readyState} changes and events - happens in tasks queued on the window's
 * JavaScript job manager, so handlers run on the page's JavaScript thread, one at a time, in stream
 * order, never while another script of the page runs; each task first checks that the EventSource was not closed meanwhile, as the standard's tasks
 * do. The connection ends on {@code close()}, when its page is unloaded or its WebClient closed.
 */
public final class EventSourceHost extends EventTarget implements AutoCloseable {

    /** {@code readyState}: connecting or reconnecting. */
    public static final int CONNECTING = 0;
    /** {@code readyState}: the stream is open and events are dispatched. */
    public static final int OPEN = 1;
    /** {@code readyState}: closed by the page or failed; no reconnection. */
    public static final int CLOSED = 2;

    private final String url;
    private final boolean withCredentials;
    private final transient HtmlPage page;
    private transient EventSourceConnection connection;
    private volatile int readyState = CONNECTING;

    EventSourceHost(HtmlPage page, URL url, boolean withCredentials) {
        this.page = page;
        this.url = url.toExternalForm();
        this.withCredentials = withCredentials;
        setClassName("EventSource");
    }

    /** Starts fetching, on the connection's thread. */
    void connect(HttpClient client, long reconnectionTimeMillis, StreamObserver observer) {
        URI target = toUri(url);
        URI pageUri = toUri(page.getUrl().toExternalForm());
        String pageOrigin = WebOrigin.of(pageUri);
        boolean crossOrigin = !pageOrigin.equals(WebOrigin.of(target));
        connection = new EventSourceConnection(client, target,
                () -> requestHeaders(target, pageUri, crossOrigin, pageOrigin),
                new CorsCheck(pageOrigin, crossOrigin, withCredentials),
                reconnectionTimeMillis, new PageTasks(), observer);
        page.addAutoCloseable(this);
        connection.start();
    }

    /** The headers a browser adds to the standard's ones (see {@link EventSourceConnection}). */
    private Map<String, String> requestHeaders(URI target, URI pageUri, boolean crossOrigin, String pageOrigin) {
        WebClient webClient = page.getWebClient();
        BrowserVersion browser = webClient.getBrowserVersion();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", browser.getUserAgent());
        headers.put("Accept-Language", browser.getAcceptLanguageHeader());
        // Referrer policy strict-origin-when-cross-origin: the full URL same-origin, the origin otherwise.
        headers.put("Referer", crossOrigin ? pageOrigin + "/" : withoutFragment(pageUri));
        // Fetch sends Origin on a GET only when the response tainting is "cors", i.e. cross-origin.
        if (crossOrigin) {
            headers.put("Origin", pageOrigin);
        }
        // Credentials mode: "same-origin" by default, "include" with withCredentials.
        if (!crossOrigin || withCredentials) {
            try {
                String cookies = webClient.getCookies(target.toURL()).stream()
                        .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                        .collect(Collectors.joining("; "));
                if (!cookies.isEmpty()) {
                    headers.put("Cookie", cookies);
                }
            } catch (MalformedURLException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return headers;
    }

    /** The connection's reports, turned into tasks on the page's JavaScript thread. */
    private final class PageTasks implements EventSourceConnection.Listener {

        @Override
        public void onOpen() {
            // "announce the connection"
            queueTask(() -> {
                readyState = OPEN;
                fire(new Event(Event.TYPE_OPEN));
            });
        }

        @Override
        public void onEvent(ServerSentEvent event, String origin) {
            queueTask(() -> {
                MessageEvent message = new MessageEvent();
                message.initMessageEvent(event.type(), false, false, event.data(), origin,
                        event.lastEventId(), null, JavaScriptEngine.UNDEFINED);
                fire(message);
            });
        }

        @Override
        public void onReconnecting() {
            // "reestablish the connection", first step
            queueTask(() -> {
                readyState = CONNECTING;
                fire(new Event(Event.TYPE_ERROR));
            });
        }

        @Override
        public void onFailed(String reason) {
            // "fail the connection"
            queueTask(() -> {
                readyState = CLOSED;
                fire(new Event(Event.TYPE_ERROR));
            });
        }
    }

    /**
     * Queues a task for the page's JavaScript thread that runs only while the EventSource is not
     * closed. A page no longer in its window takes no more tasks: the connection is closed then.
     *
     * <p>The task runs under the page's monitor, which HtmlUnit holds while any script of the page runs
     * (a handler, a WebSocket's event, a test's {@code executeJavaScript}): never in the middle of one. A
     * script that creates an EventSource and sets its {@code onerror} on the next line must not see a quick
     * refusal's error fire in between, into no handler - a browser runs it as a task after the script.
     */
    private void queueTask(Runnable task) {
        BasicJavaScriptJob job = new BasicJavaScriptJob() {
            @Override
            public void run() {
                synchronized (page) {
                    if (readyState == CLOSED) {
                        return;
                    }
                    JavaScriptEngine engine = (JavaScriptEngine) page.getWebClient().getJavaScriptEngine();
                    if (engine != null) {
                        engine.callSecured(cx -> {
                            task.run();
                            return null;
                        }, page);
                    }
                }
            }

            @Override
            public String toString() {
                return "EventSource task for " + url;
            }
        };
        if (page.getEnclosingWindow().getJobManager().addJob(job, page) == 0) {
            close();
        }
    }

    private void fire(Event event) {
        event.setTarget(this);
        event.setParentScope(getParentScope());
        event.setPrototype(getPrototype(event.getClass()));
        executeEventLocally(event);
    }

    /** {@code readyState}. */
    public int getReadyState() {
        return readyState;
    }

    /** {@code url}: the resolved URL. */
    public String getUrl() {
        return url;
    }

    /** {@code withCredentials}: whether cookies go along to another origin. */
    public boolean isWithCredentials() {
        return withCredentials;
    }

    /**
     * {@code close()}: "abort any instances of the fetch algorithm started for this EventSource object,
     * and set the readyState attribute to CLOSED." No event is fired. Also called when the page is
     * cleaned up (unload, window or WebClient closed).
     */
    @Override
    public void close() {
        readyState = CLOSED;
        if (connection != null) {
            connection.close();
        }
    }

    /** The thread that reads the stream; for tests that check it ends. */
    Thread readerThread() {
        return connection == null ? null : connection.readerThread();
    }

    private static String withoutFragment(URI uri) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }

    private static URI toUri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + url, e);
        }
    }
}

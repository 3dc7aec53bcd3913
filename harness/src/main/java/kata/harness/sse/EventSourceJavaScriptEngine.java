package kata.harness.sse;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import kata.harness.PlainHttpOnly;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebWindow;
import org.htmlunit.javascript.JavaScriptEngine;
import org.htmlunit.javascript.host.Window;

/**
 * HtmlUnit's JavaScript engine, plus a working {@code EventSource} in every window it initializes.
 * HtmlUnit (up to 5.7.0 at least) ships only an empty placeholder (issue #395).
 *
 * <p>Owns the {@link HttpClient} the streams of its WebClient share (HtmlUnit's own connection reads a
 * response whole, which a stream never is) and the executor of that client; both go with
 * {@link #shutdown()}, which {@code WebClient#close()} calls.
 */
public class EventSourceJavaScriptEngine extends JavaScriptEngine {

    private final long defaultReconnectionTimeMillis;
    private transient ExecutorService executor;
    private transient HttpClient httpClient;
    private volatile boolean shutdown;
    private volatile StreamObserver observer = StreamObserver.NONE;
    private final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Consumer<Window>> windowInitializers = new CopyOnWriteArrayList<>();

    /** An engine for {@code webClient}; install it with {@code webClient.setJavaScriptEngine(...)}. */
    public EventSourceJavaScriptEngine(WebClient webClient) {
        this(webClient, EventSourceConnection.DEFAULT_RECONNECTION_TIME_MILLIS);
    }

    /**
     * @param defaultReconnectionTimeMillis the reconnection time before a stream's {@code retry} changes it
     */
    public EventSourceJavaScriptEngine(WebClient webClient, long defaultReconnectionTimeMillis) {
        super(webClient);
        this.defaultReconnectionTimeMillis = defaultReconnectionTimeMillis;
    }

    @Override
    public void initialize(WebWindow webWindow, Page page) {
        super.initialize(webWindow, page);
        if (shutdown || !(webWindow.getScriptableObject() instanceof Window window)) {
            return;
        }
        getContextFactory().call(cx -> {
            EventSourceConstructor.defineOn(cx, window, this);
            windowInitializers.forEach(initializer -> initializer.accept(window));
            return null;
        });
    }

    /**
     * Has {@code initializer} run in every window this engine initializes from now on, inside a Rhino context,
     * after {@code EventSource} is defined and before the page's scripts run. A WebClient has one JavaScript
     * engine: this is where the harness's other add-ons (the CORS one) put what they define per window.
     */
    public void alsoInitializeEachWindow(Consumer<Window> initializer) {
        windowInitializers.add(initializer);
    }

    /** Who is told of every stream's response; {@link StreamObserver#NONE} by default. */
    public void observeResponses(StreamObserver observer) {
        this.observer = observer;
    }

    StreamObserver observer() {
        return observer;
    }

    /** How many {@code EventSource} objects the pages of this engine's WebClient have constructed so far. */
    public int eventSourcesCreated() {
        return created.get();
    }

    void countCreated() {
        created.incrementAndGet();
    }

    long defaultReconnectionTimeMillis() {
        return defaultReconnectionTimeMillis;
    }

    /** The client for event streams, made on first use; null once shut down. */
    synchronized HttpClient httpClient() {
        if (shutdown) {
            return null;
        }
        if (httpClient == null) {
            AtomicInteger count = new AtomicInteger();
            executor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "EventSource-http-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            httpClient = HttpClient.newBuilder()
                    .sslContext(PlainHttpOnly.context())
                    .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: browsers never send one
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(executor)
                    .build();
        }
        return httpClient;
    }

    @Override
    public void prepareShutdown() {
        shutdown = true;
        super.prepareShutdown();
    }

    @Override
    public void shutdown() {
        super.shutdown();
        synchronized (this) {
            shutdown = true;
            httpClient = null; // Java 17's HttpClient has no close(); its selector thread ends once unreachable
            if (executor != null) {
                executor.shutdownNow();
                executor = null;
            }
        }
    }
}

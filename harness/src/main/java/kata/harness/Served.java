package kata.harness;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A chapter's server, started fresh on a free port before each test and stopped after it, so that no
 * test sees another's messages and no port is ever fixed.
 *
 * <pre>
 * &#64;RegisterExtension
 * final Served&lt;PollingServer&gt; app = Served.by(() -&gt; PollingServer.start(0), PollingServer::port);
 * </pre>
 */
public final class Served<S extends AutoCloseable> implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<S> starter;
    private final ToIntFunction<S> portOf;
    private String host = "localhost";
    /** See {@link #afterEach}. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
    /** The name of the threads that stop servers: they wait in a server's close(), and are not the server's. */
    static final String STOPPER = "kata-stop-";

    private S server;
    private String stoppingSection;

    private Served(Supplier<S> starter, ToIntFunction<S> portOf) {
        this.starter = starter;
        this.portOf = portOf;
    }

    /** {@code starter} starts the server on port 0 (a free port); {@code portOf} reads the port it got. */
    public static <S extends AutoCloseable> Served<S> by(Supplier<S> starter, ToIntFunction<S> portOf) {
        return new Served<>(starter, portOf);
    }

    /**
     * The host name in this server's URLs. {@code localhost} and {@code 127.0.0.1} reach the same
     * socket but are different origins to a browser: that is how the cross-origin chapters get an
     * "evil" site on this one machine.
     */
    public Served<S> reachedAs(String hostName) {
        this.host = hostName;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        QuietLogs.install();
        server = starter.get();
    }

    /**
     * The section to point to when the server does not stop in time; by default the test's own
     * {@link Lesson}. A server that cannot stop almost always has a thread stuck in a handler.
     */
    public Served<S> stoppingTaughtIn(String section) {
        this.stoppingSection = section;
        return this;
    }

    /**
     * Stops the server, with a deadline: a server whose threads are stuck inside a handler (a wait, a sleep,
     * a blocking read) never finishes stopping, and the test must then fail with that news instead of hanging
     * the whole run. The deadline bounds a stop that should succeed in milliseconds; it is generous so that a
     * busy machine never trips it.
     */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (server == null) {
            return;
        }
        S stopping = server;
        server = null;
        String section = stoppingSection != null ? stoppingSection
                : context.getTestMethod().map(m -> m.getAnnotation(Lesson.class))
                        .or(() -> context.getTestClass().map(c -> c.getAnnotation(Lesson.class)))
                        .map(Lesson::value).orElse(null);
        stop(stopping, STOP_DEADLINE, section);
    }

    /** Closes {@code stopping}, or fails after {@code deadline} naming the threads stuck in its code. */
    static void stop(AutoCloseable stopping, Duration deadline, String section) throws Exception {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                stopping.close();
                stopped.complete(null);
            } catch (Throwable e) {
                stopped.completeExceptionally(e);
            }
        }, STOPPER + stopping.getClass().getSimpleName());
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopped.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            List<String> held = HeldThreads.inside(stopping.getClass());
            String message = "The server did not stop within " + deadline.toMillis() / 1000.0 + " s after the test. "
                    + "A server stops at once unless one of its threads is stuck inside a handler — waiting, "
                    + "sleeping or reading — and cannot be taken back. "
                    + (held.isEmpty() ? "No thread of yours was seen waiting; look for a handler that never returns."
                            : "Seen: " + String.join("; ", held) + ".");
            throw new AssertionError(section == null ? message : LessonPointer.pointed(message, section));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    public S server() {
        if (server == null) {
            throw new IllegalStateException("the server runs only during a test");
        }
        return server;
    }

    public int port() {
        return portOf.applyAsInt(server());
    }

    /** For example {@code http://localhost:41234}. */
    public String origin() {
        return "http://" + host + ":" + port();
    }

    /** For example {@code url("/messages?since=0")}. */
    public String url(String pathAndQuery) {
        return origin() + pathAndQuery;
    }
}

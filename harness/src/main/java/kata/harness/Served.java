package kata.harness;

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
    private S server;

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

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (server != null) {
            S stopping = server;
            server = null;
            stopping.close();
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

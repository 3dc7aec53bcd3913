package kata.scaleout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import kata.harness.QuietLogs;
import kata.harness.RedisServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's cluster: a real Redis (Debian's redis-server, on a free port) and two chat nodes, A and B, on free
 * ports of their own. The nodes are started before each test and stopped after. Redis is one for all the tests of
 * a run, started by the first, emptied before each ({@code FLUSHALL}) and stopped when the run ends: a test leaves
 * nothing in it but data, and a process started for every test took longer than most tests. Node A can be stopped
 * and started again on the same port; Redis too; a {@link Balancer} in front of both is there on demand. Node B
 * reaches Redis through a {@link RedisGate}, which a test can hold to keep node B's catch-up reads waiting.
 */
final class TwoNodes implements BeforeEachCallback, AfterEachCallback {
    /** Short enough that a test never waits long for an empty poll, long enough to be "held". */
    static final Duration HOLD = Duration.ofSeconds(3);
    /** How long a page's EventSource waits before it reconnects: short, a test waits for it. */
    static final Duration RETRY = Duration.ofMillis(50);
    /** How long a page waits after its first failed request (the page's own default: 250 ms), doubling after each. */
    static final Duration PAGE_BACKOFF = Duration.ofMillis(25);

    /** The balancer's proxy logs every connection it loses as an error; here it loses them on purpose. */
    private static final java.util.logging.Logger PROXY_LOG = java.util.logging.Logger.getLogger("io.undertow.proxy");

    private RedisServer redis;
    private RedisGate gate;
    private long maxLength = NodeConfig.DEFAULT_MAX_LENGTH;
    /** Redis's own default: a stream is kept in blocks of 100 entries (stream-node-max-entries). */
    private long streamBlock = 100;
    private int maxUnsentOnB = NodeConfig.DEFAULT_MAX_UNSENT;
    private int maxPendingOnB = NodeConfig.DEFAULT_MAX_PENDING;
    private int sendBufferOnB;
    private ChatNode a;
    private ChatNode b;
    private int portA;
    private Balancer balancer;

    /**
     * Keeps only about {@code n} messages in the stream (for the "too old" test), and has Redis keep the stream in
     * blocks of {@code n} entries: {@code MAXLEN ~} trims whole blocks only, of 100 entries by default, so that the
     * trimming shows after a few dozen messages, not after hundreds.
     */
    TwoNodes keeping(long n) {
        this.maxLength = n;
        this.streamBlock = n;
        return this;
    }

    /**
     * Node B (only B: A keeps the defaults) drops an event-stream client once more than {@code unsent} events wait
     * for it, and a client that is catching up once more than {@code pending} messages wait for it (for the
     * slow-client tests: a few messages are enough to pass such bounds).
     */
    TwoNodes nodeBDropsAfter(int unsent, int pending) {
        this.maxUnsentOnB = unsent;
        this.maxPendingOnB = pending;
        return this;
    }

    /** Node B's socket send buffer, in bytes (for the slow-client test: a client that does not read is seen sooner). */
    TwoNodes nodeBSendBuffer(int bytes) {
        this.sendBufferOnB = bytes;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        QuietLogs.install();
        // The run's Redis: JUnit stops it (closes it) when the run ends. A test that stopped it has it started again
        // by the next.
        redis = context.getRoot().getStore(ExtensionContext.Namespace.create(TwoNodes.class))
                .computeIfAbsent(RedisServer.class, key -> new RedisServer(), RedisServer.class);
        redis.start();
        for (String setUp : List.of("FLUSHALL", "CONFIG SET stream-node-max-entries " + streamBlock)) {
            String answer = redis.command(setUp);
            if (!"+OK".equals(answer)) {
                throw new IllegalStateException("the test's Redis could not be set up (" + setUp + "): " + answer);
            }
        }
        gate = new RedisGate(redis::port);
        a = ChatNode.start(0, config("A"));
        portA = a.port();
        b = ChatNode.start(0, config("B"));
    }

    NodeConfig config(String name) {
        return NodeConfig.of(name, name.equals("B") ? gate.uri() : redis.uri()).withHold(HOLD).withRetry(RETRY).withMaxLength(maxLength)
                .withMaxUnsent(name.equals("B") ? maxUnsentOnB : NodeConfig.DEFAULT_MAX_UNSENT)
                .withMaxPending(name.equals("B") ? maxPendingOnB : NodeConfig.DEFAULT_MAX_PENDING)
                .withSendBuffer(name.equals("B") ? sendBufferOnB : 0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (AutoCloseable running : new AutoCloseable[] {balancer, a, b}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception ignored) {
                // stopping everything is all that is left to do
            }
        }
        balancer = null;
        a = null;
        b = null;
        gate.close();
    }

    RedisServer redis() {
        return redis;
    }

    /** Node B's way to Redis: hold it, and node B's catch-up reads wait until the test releases them. */
    RedisGate gate() {
        return gate;
    }

    /** For example {@code a("/messages?since=0")}: http://localhost:PA/messages?since=0. */
    String a(String pathAndQuery) {
        return "http://localhost:" + portA + pathAndQuery;
    }

    String b(String pathAndQuery) {
        return "http://localhost:" + b.port() + pathAndQuery;
    }

    /** How many clients wait for news on node B ({@link ChatNode#waiting()}). */
    int waitingOnB() {
        return b.waiting();
    }

    URI nodeA() {
        return URI.create("http://127.0.0.1:" + portA);
    }

    URI nodeB() {
        return URI.create("http://127.0.0.1:" + b.port());
    }

    /** Stops node A, as a crash or a deploy would: its connections break, its clients must go elsewhere or wait. */
    void stopA() {
        if (a != null) {
            a.close();
            a = null;
        }
    }

    /** Starts node A again, on the same port: its clients reconnect to where they were. */
    void startA() {
        a = ChatNode.start(portA, config("A"));
    }

    /** A balancer in front of node A only; {@link Balancer#moveTo} moves everyone to another node. */
    Balancer balancerOnA() {
        if (balancer == null) {
            PROXY_LOG.setLevel(java.util.logging.Level.OFF);
            balancer = Balancer.start(0, List.of(nodeA()));
        }
        return balancer;
    }

    String balanced(String pathAndQuery) {
        return "http://localhost:" + balancerOnA().port() + pathAndQuery;
    }
}

package kata.scaleout;

import io.undertow.Undertow;
import java.time.Duration;
import org.xnio.Options;

/**
 * How a node runs. Given code.
 *
 * @param name       how the demo and the tests call it ("A", "B"); every answer names it (X-Served-By)
 * @param redisUri   the Redis every node shares, for example {@code redis://127.0.0.1:6379}
 * @param hold       how long a long poll with nothing new is held before it is answered {@code []}
 * @param retry      the {@code retry:} an event stream tells the browser: how long it waits before reconnecting
 * @param keepAlive  how often an idle event stream sends a comment line ({@code :}), so that no proxy on the way
 *                   cuts it as idle, README.md §2
 * @param maxLength  about how many messages the stream keeps ({@code XADD ... MAXLEN ~ maxLength})
 * @param maxUnsent  how many events may wait for an event-stream client that does not read before the node
 *                   drops it (it reconnects with its Last-Event-ID), README.md §4
 * @param maxPending how many messages a client that is still catching up may have waiting in the node before
 *                   the node drops it (it resumes from its cursor), README.md §4
 * @param sendBuffer the size in bytes of each client connection's socket send buffer, or 0 to leave it to the
 *                   system (Linux grows it as a connection needs, to a few MB)
 */
public record NodeConfig(String name, String redisUri, Duration hold, Duration retry, Duration keepAlive, long maxLength,
        int maxUnsent, int maxPending, int sendBuffer) {
    public static final long DEFAULT_MAX_LENGTH = 1000;
    public static final int DEFAULT_MAX_UNSENT = 1000;
    public static final int DEFAULT_MAX_PENDING = 10_000;

    /**
     * 25 s holds and a keep-alive every 15 s (both below the 30 s that many proxies allow an idle request), 1 s retry,
     * 1000 messages kept.
     */
    public static NodeConfig of(String name, String redisUri) {
        return new NodeConfig(name, redisUri, Duration.ofSeconds(25), Duration.ofSeconds(1), Duration.ofSeconds(15),
                DEFAULT_MAX_LENGTH, DEFAULT_MAX_UNSENT, DEFAULT_MAX_PENDING, 0);
    }

    public NodeConfig withHold(Duration newHold) {
        return new NodeConfig(name, redisUri, newHold, retry, keepAlive, maxLength, maxUnsent, maxPending, sendBuffer);
    }

    public NodeConfig withRetry(Duration newRetry) {
        return new NodeConfig(name, redisUri, hold, newRetry, keepAlive, maxLength, maxUnsent, maxPending, sendBuffer);
    }

    public NodeConfig withKeepAlive(Duration newKeepAlive) {
        return new NodeConfig(name, redisUri, hold, retry, newKeepAlive, maxLength, maxUnsent, maxPending, sendBuffer);
    }

    public NodeConfig withMaxLength(long newMaxLength) {
        return new NodeConfig(name, redisUri, hold, retry, keepAlive, newMaxLength, maxUnsent, maxPending, sendBuffer);
    }

    /** Small bounds let a test see a slow client dropped without sending thousands of messages. */
    public NodeConfig withMaxUnsent(int newMaxUnsent) {
        return new NodeConfig(name, redisUri, hold, retry, keepAlive, maxLength, newMaxUnsent, maxPending, sendBuffer);
    }

    public NodeConfig withMaxPending(int newMaxPending) {
        return new NodeConfig(name, redisUri, hold, retry, keepAlive, maxLength, maxUnsent, newMaxPending, sendBuffer);
    }

    /**
     * A small send buffer lets a test see a client that does not read without first filling megabytes of kernel
     * buffers: the node's writes back up after a few kilobytes.
     */
    public NodeConfig withSendBuffer(int newSendBuffer) {
        return new NodeConfig(name, redisUri, hold, retry, keepAlive, maxLength, maxUnsent, maxPending, newSendBuffer);
    }

    /** Undertow's builder for this node, with its socket options: the send buffer, when one is set. */
    public Undertow.Builder undertowBuilder() {
        Undertow.Builder builder = Undertow.builder();
        if (sendBuffer > 0) {
            builder.setSocketOption(Options.SEND_BUFFER, sendBuffer);
        }
        return builder;
    }
}

package kata.scaleout;

import java.time.Duration;

/**
 * How a node runs. Given code.
 *
 * @param name      how the demo and the tests call it ("A", "B")
 * @param redisUri  the Redis every node shares, for example {@code redis://127.0.0.1:6379}
 * @param hold      how long a long poll with nothing new is held before it is answered {@code []}
 * @param retry     the {@code retry:} an event stream tells the browser: how long it waits before reconnecting
 * @param maxLength about how many messages the stream keeps ({@code XADD ... MAXLEN ~ maxLength})
 */
public record NodeConfig(String name, String redisUri, Duration hold, Duration retry, long maxLength) {
    public static final long DEFAULT_MAX_LENGTH = 1000;

    /** 25 s holds (below the 30 s that many proxies allow an idle request), 1 s retry, 1000 messages kept. */
    public static NodeConfig of(String name, String redisUri) {
        return new NodeConfig(name, redisUri, Duration.ofSeconds(25), Duration.ofSeconds(1), DEFAULT_MAX_LENGTH);
    }

    public NodeConfig withHold(Duration newHold) {
        return new NodeConfig(name, redisUri, newHold, retry, maxLength);
    }

    public NodeConfig withRetry(Duration newRetry) {
        return new NodeConfig(name, redisUri, hold, newRetry, maxLength);
    }

    public NodeConfig withMaxLength(long newMaxLength) {
        return new NodeConfig(name, redisUri, hold, retry, newMaxLength);
    }
}

package kata.scaleout;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import kata.chat.NewMessage;

/**
 * The node's side of Redis: the chat lives in one Redis stream, {@value #STREAM}, that every node shares.
 *
 * <p>The connection set-up is given; the three methods are yours (README.md §3). Lettuce's commands
 * return futures ({@code RedisFuture}, a {@code CompletionStage}): chain on them, never {@code get()} on
 * an I/O thread. {@code commands.async()} has {@code xadd}, {@code xrange}, {@code xrevrange},
 * {@code xinfoStream}; {@code reading.sync()} is for the reader thread, which may block.
 * Stuck? {@code chapters/08-scale-out/hints.md}.
 */
final class Broker implements AutoCloseable {
    static final String STREAM = "chat:messages";
    /** How long Redis may take to answer; then the command fails and the client gets 503. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long one {@code XREAD BLOCK} waits for news before it asks again. */
    static final Duration READ_BLOCK = Duration.ofSeconds(1);

    private final long maxLength;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisConnection<String, String> reading;

    /** Connects to Redis, for example {@code redis://127.0.0.1:6379}; fails when Redis cannot be reached. Given. */
    Broker(String redisUri, long maxLength) {
        this.maxLength = maxLength;
        // Reconnect fast after an outage (Lettuce's default backs off up to 30 s).
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, fail at once (the client gets 503) instead of queueing commands
                // in memory until it comes back.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        try {
            this.commands = client.connect();
            // XREAD BLOCK holds its connection: a connection of its own, or every other command waits behind it.
            this.reading = client.connect();
        } catch (RuntimeException e) {
            shutdownClient();
            throw e;
        }
    }

    /**
     * Appends the message to the stream, bounded to about {@code maxLength} entries; completes with it as
     * stored, with the id Redis gave it.
     */
    CompletionStage<ChatEvent> publish(NewMessage message) {
        // TODO README.md §3: XADD chat:messages MAXLEN ~ maxLength * author ... text ...  (io.lettuce.core.XAddArgs)
        throw new UnsupportedOperationException("TODO README.md §3: XADD the message");
    }

    /** What a client with this cursor has not seen: at most {@code limit} entries, or "too old". */
    record CatchUp(List<ChatEvent> events, boolean tooOld) {
    }

    /**
     * The entries after {@code cursor}, oldest first, at most {@code limit}; for {@link StreamId#ZERO} (a page
     * that has seen nothing) the newest {@code limit}. {@code tooOld} when entries after the cursor were
     * already trimmed away: the client cannot resume, it must reload.
     */
    CompletionStage<CatchUp> after(StreamId cursor, int limit) {
        // TODO README.md §3 and §6: XRANGE with an exclusive start, and a way to tell that the cursor fell off
        throw new UnsupportedOperationException("TODO README.md §3: XRANGE after the cursor");
    }

    /**
     * Follows the stream from now on, on a thread of its own, and hands each batch of new entries (oldest
     * first) to {@code deliver}. While Redis is away it retries; it resumes from the last id it saw.
     */
    void startReading(Consumer<List<ChatEvent>> deliver) {
        // TODO README.md §3: a thread of its own looping on XREAD BLOCK from the last id seen, on `reading`
        throw new UnsupportedOperationException("TODO README.md §3: follow the stream with XREAD BLOCK");
    }

    @Override
    public void close() {
        // TODO README.md §3: stop your reader thread too
        shutdownClient();
    }

    private void shutdownClient() {
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        resources.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}

package kata.scaleout;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import kata.chat.NewMessage;

/**
 * The node's side of Redis: the chat lives in one Redis stream that every node shares.
 *
 * <ul>
 * <li>{@link #publish} appends a message with {@code XADD chat:messages MAXLEN ~ N * author … text …}; Redis
 *     gives it its id.</li>
 * <li>{@link #after} reads what a client missed: {@code XRANGE chat:messages (cursor + COUNT n}, and says
 *     when the cursor fell off the bounded stream.</li>
 * <li>{@link #startReading} follows the stream on a thread of its own with {@code XREAD BLOCK} from the
 *     last id it saw, and hands every new batch to the node, which delivers it to its own clients.</li>
 * </ul>
 *
 * Commands are asynchronous (Lettuce runs on Netty): a request handler never waits for Redis on an I/O thread.
 */
final class Broker implements AutoCloseable {
    static final String STREAM = "chat:messages";
    /** How long Redis may take to answer; then the command fails and the client gets 503. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long one {@code XREAD BLOCK} waits for news before it asks again. */
    static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final int READ_BATCH = 500;

    private final long maxLength;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisConnection<String, String> reading;
    private volatile boolean closed;
    private Thread reader;

    /** Connects to Redis, for example {@code redis://127.0.0.1:6379}; fails when Redis cannot be reached. */
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

    /** Appends the message to the stream; completes with it as stored, with the id Redis gave it. */
    CompletionStage<ChatEvent> publish(NewMessage message) {
        XAddArgs bounded = new XAddArgs().maxlen(maxLength).approximateTrimming();
        return async().xadd(STREAM, bounded, Map.of("author", message.author(), "text", message.text()))
                .thenApply(id -> new ChatEvent(id, message.author(), message.text()));
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
        RedisAsyncCommands<String, String> redis = async();
        if (cursor.isZero()) {
            return redis.xrevrange(STREAM, Range.unbounded(), Limit.from(limit)).thenApply(newestFirst -> {
                List<ChatEvent> events = events(newestFirst);
                Collections.reverse(events);
                return new CatchUp(events, false);
            });
        }
        // Both commands go out on one connection, so Redis runs them in this order. If the cursor's entry
        // was still kept when XINFO ran, it was kept when XRANGE ran too: trimming only moves forward.
        CompletionStage<List<StreamMessage<String, String>>> range = redis.xrange(STREAM,
                Range.from(Range.Boundary.excluding(cursor.toString()), Range.Boundary.unbounded()), Limit.from(limit));
        CompletionStage<Boolean> trimmed = redis.xinfoStream(STREAM)
                .thenApply(info -> trimmedAfter(info, cursor))
                .exceptionally(error -> {
                    if (noSuchStream(error)) {
                        return false; // nothing was ever written, so nothing was trimmed
                    }
                    throw new CompletionException(error); // Redis is away: the catch-up fails, the client gets 503
                });
        return range.thenCombine(trimmed, (entries, lost) -> new CatchUp(lost ? List.of() : events(entries), lost));
    }

    /**
     * Follows the stream from now on, on a thread of its own, and hands each batch of new entries (oldest
     * first) to {@code deliver}. While Redis is away it retries; it resumes from the last id it saw, so a
     * batch is never handed over twice.
     */
    synchronized void startReading(Consumer<List<ChatEvent>> deliver) {
        if (reader != null) {
            throw new IllegalStateException("already reading");
        }
        // Not a daemon: while the node runs, Undertow's I/O threads keep the JVM alive anyway, and close() ends this one.
        reader = new Thread(() -> follow(deliver), "stream-reader");
        reader.start();
    }

    private void follow(Consumer<List<ChatEvent>> deliver) {
        RedisCommands<String, String> redis = reading.sync();
        String lastId = null; // unknown until Redis answers once
        XReadArgs blocking = XReadArgs.Builder.block(READ_BLOCK).count(READ_BATCH);
        long backoffMillis = 50;
        while (!closed) {
            try {
                if (lastId == null) {
                    List<StreamMessage<String, String>> newest = redis.xrevrange(STREAM, Range.unbounded(), Limit.from(1));
                    lastId = newest.isEmpty() ? "0-0" : newest.get(0).getId();
                }
                List<StreamMessage<String, String>> batch = redis.xread(blocking, XReadArgs.StreamOffset.from(STREAM, lastId));
                backoffMillis = 50;
                if (batch != null && !batch.isEmpty()) {
                    lastId = batch.get(batch.size() - 1).getId();
                    deliver.accept(events(batch));
                }
            } catch (RuntimeException redisAway) {
                if (closed) {
                    return;
                }
                // Redis is away (or the connection broke): try again soon, a little later each time.
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 500);
            }
        }
    }

    private RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    private static List<ChatEvent> events(List<StreamMessage<String, String>> entries) {
        List<ChatEvent> events = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            Map<String, String> body = entry.getBody();
            events.add(new ChatEvent(entry.getId(), body.get("author"), body.get("text")));
        }
        return events;
    }

    /**
     * Whether the stream lost entries after {@code cursor}: the cursor is the id of an entry the client saw,
     * and trimming removes the oldest entries first, so when the stream's first entry is newer than the
     * cursor, the cursor's own entry is gone and whatever followed it may be gone too. (If it was the very
     * last one trimmed, the client reloads without need: rare, and harmless.) The same holds when Redis
     * lost the whole stream and started a new one: the client's history is gone, it must reload.
     */
    private static boolean trimmedAfter(List<Object> info, StreamId cursor) {
        Object first = field(info, "first-entry");
        if (first instanceof List<?> entry && !entry.isEmpty()) {
            return StreamId.parse(String.valueOf(entry.get(0))).isAfter(cursor);
        }
        // An empty stream (XTRIM ... MAXLEN 0 emptied it): every entry up to the last id it gave out is gone.
        return StreamId.parse(String.valueOf(field(info, "last-generated-id"))).isAfter(cursor);
    }

    /** {@code XINFO STREAM} answers name, value, name, value, …: the value follows its name. */
    private static Object field(List<Object> info, String name) {
        return info.get(info.indexOf(name) + 1);
    }

    private static boolean noSuchStream(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("no such key");
    }

    /**
     * Shuts the client down. The reader ends by itself: its next command fails once the client is down, and it sees
     * {@code closed} (a pause between retries ends within half a second, and then it sees it too).
     */
    @Override
    public void close() {
        closed = true;
        shutdownClient();
    }

    private void shutdownClient() {
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        resources.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}

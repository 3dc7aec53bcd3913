package kata.websocket;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the chat's WebSocket server is configured with at start. {@link #defaults()} are the production
 * values; tests shorten the times and shrink the bounds.
 *
 * @param allowedOrigins  origins whose pages may open a socket, as browsers write them in {@code Origin}
 *                        ({@code https://chat.example}: scheme, host, port only when not the default). The
 *                        server's own origins ({@code http://localhost:PORT}, {@code http://127.0.0.1:PORT})
 *                        are always allowed.
 * @param maxMessageBytes the largest text message a client may send, in bytes of UTF-8; bigger: close 1009
 * @param pingInterval    a socket silent for this long is sent a ping
 * @param pongTimeout     a socket that stays silent this long after a ping is closed (1001)
 * @param history         how many messages the server keeps for reconnecting pages to catch up from
 * @param queueBytes      how many bytes of live frames may wait to go out to one socket (not yet taken by its TCP
 *                        connection); a frame more and it is closed (1008). Centrifugo's default, 1 MiB, holds
 *                        thousands of chat frames: a socket that keeps reading never comes near it
 * @param clock           what the keep-alive reads the time from, in nanoseconds ({@code System::nanoTime});
 *                        a test sets the time by hand, to say exactly when a ping is due, with no sleeping
 */
public record Settings(Set<String> allowedOrigins, int maxMessageBytes, Duration pingInterval,
                       Duration pongTimeout, int history, int queueBytes, LongSupplier clock) {

    public Settings {
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (maxMessageBytes < 1 || history < 1 || queueBytes < 1) {
            throw new IllegalArgumentException("sizes must be at least 1");
        }
        if (pingInterval.isNegative() || pingInterval.isZero() || pongTimeout.isNegative() || pongTimeout.isZero()) {
            throw new IllegalArgumentException("times must be positive");
        }
        Objects.requireNonNull(clock, "clock");
    }

    public static Settings defaults() {
        return new Settings(Set.of(), 8 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(10), 1000, 1024 * 1024, System::nanoTime);
    }

    /** These origins as well as the server's own. */
    public Settings allowOrigins(String... origins) {
        Set<String> more = new LinkedHashSet<>(allowedOrigins);
        more.addAll(List.of(origins));
        return new Settings(more, maxMessageBytes, pingInterval, pongTimeout, history, queueBytes, clock);
    }

    public Settings maxMessageBytes(int bytes) {
        return new Settings(allowedOrigins, bytes, pingInterval, pongTimeout, history, queueBytes, clock);
    }

    public Settings keepAlive(Duration pingAfter, Duration pongWithin) {
        return new Settings(allowedOrigins, maxMessageBytes, pingAfter, pongWithin, history, queueBytes, clock);
    }

    public Settings history(int messages) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, messages, queueBytes, clock);
    }

    public Settings queueBytes(int bytes) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, history, bytes, clock);
    }

    public Settings clock(LongSupplier nanos) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, history, queueBytes, nanos);
    }
}

package kata.websocket;

import io.undertow.Undertow;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.xnio.Options;

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
 * @param closeGrace      how long a peer has to answer the server's close frame before its connection is cut
 * @param history         how many messages the server keeps for reconnecting pages to catch up from
 * @param queueBytes      how many bytes of live frames may wait to go out to one socket (not yet taken by its TCP
 *                        connection); a frame more and it is closed (1008). Centrifugo's default, 1 MiB, holds
 *                        thousands of chat frames: a socket that keeps reading never comes near it
 * @param sendBufferBytes how many bytes the kernel may hold for one socket, written by the server and not yet
 *                        taken by the client ({@code SO_SNDBUF}); 0: the operating system decides (Linux grows
 *                        it up to 4 MiB). A test makes it small, so that a client that stops reading fills it
 *                        after a few hundred frames, not after thousands
 * @param clock           what the keep-alive reads the time from, in nanoseconds ({@code System::nanoTime});
 *                        a test sets the time by hand, to say exactly when a ping is due, with no sleeping
 */
public record Settings(Set<String> allowedOrigins, int maxMessageBytes, Duration pingInterval,
                       Duration pongTimeout, Duration closeGrace, int history, int queueBytes, int sendBufferBytes,
                       LongSupplier clock) {

    public Settings {
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (maxMessageBytes < 1 || history < 1 || queueBytes < 1 || sendBufferBytes < 0) {
            throw new IllegalArgumentException("sizes must be at least 1 (the send buffer: 0 or more)");
        }
        for (Duration time : List.of(pingInterval, pongTimeout, closeGrace)) {
            if (time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException("times must be positive");
            }
        }
        Objects.requireNonNull(clock, "clock");
    }

    public static Settings defaults() {
        return new Settings(Set.of(), 8 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10),
                1000, 1024 * 1024, 0, System::nanoTime);
    }

    /** These origins as well as the server's own. */
    public Settings allowOrigins(String... origins) {
        Set<String> more = new LinkedHashSet<>(allowedOrigins);
        more.addAll(List.of(origins));
        return new Settings(more, maxMessageBytes, pingInterval, pongTimeout, closeGrace, history, queueBytes,
                sendBufferBytes, clock);
    }

    public Settings maxMessageBytes(int bytes) {
        return new Settings(allowedOrigins, bytes, pingInterval, pongTimeout, closeGrace, history, queueBytes,
                sendBufferBytes, clock);
    }

    public Settings keepAlive(Duration pingAfter, Duration pongWithin) {
        return new Settings(allowedOrigins, maxMessageBytes, pingAfter, pongWithin, closeGrace, history, queueBytes,
                sendBufferBytes, clock);
    }

    public Settings closeGrace(Duration grace) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, grace, history, queueBytes,
                sendBufferBytes, clock);
    }

    public Settings history(int messages) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, closeGrace, messages, queueBytes,
                sendBufferBytes, clock);
    }

    public Settings queueBytes(int bytes) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, closeGrace, history, bytes,
                sendBufferBytes, clock);
    }

    public Settings sendBufferBytes(int bytes) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, closeGrace, history, queueBytes,
                bytes, clock);
    }

    /** Undertow's builder for these settings, with their socket options: the send buffer, when one is set. */
    public Undertow.Builder undertowBuilder() {
        Undertow.Builder builder = Undertow.builder();
        if (sendBufferBytes > 0) {
            builder.setSocketOption(Options.SEND_BUFFER, sendBufferBytes);
        }
        return builder;
    }

    public Settings clock(LongSupplier nanos) {
        return new Settings(allowedOrigins, maxMessageBytes, pingInterval, pongTimeout, closeGrace, history, queueBytes,
                sendBufferBytes, nanos);
    }
}

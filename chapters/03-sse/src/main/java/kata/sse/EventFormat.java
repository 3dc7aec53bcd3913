package kata.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code text/event-stream} format, written: an event is a few {@code field: value} lines and a blank
 * line that ends it. Everything is UTF-8, every line ends with LF.
 *
 * <p>Your code goes here (lesson §3 "The event stream format"). These are pure functions: text in, text
 * out. The approved snapshot beside {@code SseWireTest} shows exactly what the wire should carry.
 */
final class EventFormat {
    /** A comment line: keeps an idle stream busy so that no proxy on the way thinks it is dead (§6). */
    static final String PING = ": ping\n\n";

    private EventFormat() {
    }

    /**
     * One event: its {@code id:}, its {@code event:} type (none for a plain "message"), its data, and
     * the blank line that ends it. {@code data} may hold line breaks — what does the browser do with a
     * line break inside one {@code data:} line?
     */
    static String event(long id, String type, String data) {
        throw new UnsupportedOperationException("TODO lesson §3: write one event in the text/event-stream format");
    }

    static String event(StreamEvent event) {
        return event(event.id(), event.type(), event.data());
    }

    /** The browser's reconnection delay, in milliseconds. Sent first on every stream. */
    static String retry(Duration delay) {
        throw new UnsupportedOperationException("TODO lesson §3 and §4: the retry: field");
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}

package kata.launcher.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code text/event-stream} format, written as chapter 03 teaches it (its README.md §3). The board's
 * data is always JSON, one line (JSON escapes line breaks), so every event has one {@code data:} line.
 */
final class EventFormat {
    /** A comment: keeps an idle stream busy so that no proxy on the way thinks it dead (chapter 03 §6). */
    static final String PING = ": ping\n\n";

    private EventFormat() {
    }

    /** An event with an id: the browser sends the id back as {@code Last-Event-ID} when it reconnects. */
    static String event(String id, String type, String json) {
        return "id: " + id + "\nevent: " + type + "\ndata: " + json + "\n\n";
    }

    /** An event without an id: the browser's last event id stays what it was. */
    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    static String retry(Duration delay) {
        return "retry: " + delay.toMillis() + "\n\n";
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}

package kata.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code text/event-stream} format, written: an event is a few {@code field: value} lines and a blank
 * line that ends it. Everything is UTF-8, every line ends with LF.
 *
 * <pre>
 * retry: 2000                 how long the browser waits before it reconnects
 *
 * id: 7                       the event's id: the browser sends it back as Last-Event-ID
 * event: presence             the event's type; none means "message"
 * data: first line            the data, one data: line per line of text
 * data: second line
 *                             a blank line: dispatch the event
 * : ping                      a comment: ignored by the browser, seen by every proxy on the way
 * </pre>
 */
final class EventFormat {
    /** Any of the three line ends a browser recognizes inside an event stream: CRLF, LF, CR. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    /** A comment line: keeps an idle stream busy so that no proxy on the way thinks it is dead. */
    static final String PING = ": ping\n\n";

    private EventFormat() {
    }

    /**
     * One event. {@code data} may hold line breaks: each line becomes a {@code data:} line of its own,
     * and the browser joins them again with LF. (A line break written into one {@code data:} line would
     * end the field there: the rest of the text would be read as a field of its own and dropped.)
     */
    static String event(long id, String type, String data) {
        StringBuilder event = new StringBuilder(data.length() + 40);
        event.append("id: ").append(id).append('\n');
        if (!type.equals(StreamEvent.MESSAGE)) { // no event: field means "message"
            event.append("event: ").append(type).append('\n');
        }
        for (String line : LINE_BREAK.split(data, -1)) {
            event.append("data: ").append(line).append('\n');
        }
        return event.append('\n').toString();
    }

    static String event(StreamEvent event) {
        return event(event.id(), event.type(), event.data());
    }

    /** The browser's reconnection delay, in milliseconds. Sent first on every stream. */
    static String retry(Duration delay) {
        return "retry: " + delay.toMillis() + "\n\n";
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /**
     * The same, outside the Java heap: for a live event, written to every subscriber. A socket can only be
     * written from such a buffer; given one on the heap, Java first copies it into a temporary direct buffer,
     * on every write — N copies of the same bytes for N subscribers.
     */
    static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}

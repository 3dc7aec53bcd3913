package kata.harness.sse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a {@code text/event-stream} body as the WHATWG HTML standard says ("Server-sent events",
 * section 9.2.6, "Interpreting an event stream"). Pure: no I/O, no threads, no HtmlUnit.
 *
 * <p>Feed it the bytes of one connection in the chunks they arrive in ({@link #feed}); it calls its
 * {@link Listener} for every event it dispatches and every valid {@code retry}. Chunk boundaries may fall
 * anywhere, inside a UTF-8 sequence or between the CR and LF of a CRLF. Call {@link #end()} when the
 * stream ends: an event without its final blank line is discarded, as the standard requires.
 *
 * <p>One parser per connection. The last event ID survives reconnection, so a new connection's parser
 * starts from the previous one's {@link #lastEventId()}.
 */
public final class EventStreamParser {

    /** Receives what the parser dispatches, in stream order, on the thread that calls {@link #feed}. */
    public interface Listener {

        /** An event to dispatch: its data buffer was not empty when a blank line ended it. */
        void onEvent(ServerSentEvent event);

        /** A {@code retry} field made only of ASCII digits: the new reconnection time in milliseconds. */
        void onRetry(long reconnectionTimeMillis);
    }

    private static final char BOM = '\uFEFF';

    private final Listener listener;

    // The standard decodes the stream as UTF-8 whatever the Content-Type's charset says, with
    // replacement characters for invalid bytes ("UTF-8 decode").
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] undecoded = new byte[0];
    private boolean atStreamStart = true;
    private boolean afterCarriageReturn;

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder dataBuffer = new StringBuilder();
    private String eventTypeBuffer = "";
    private String lastEventIdBuffer;
    private String lastEventId;

    /** A parser for a first connection: the last event ID starts empty. */
    public EventStreamParser(Listener listener) {
        this(listener, "");
    }

    /**
     * A parser for a connection that continues an earlier one.
     *
     * @param lastEventId the last event ID string the earlier connection ended with
     */
    public EventStreamParser(Listener listener, String lastEventId) {
        if (listener == null || lastEventId == null) {
            throw new IllegalArgumentException("listener and lastEventId must not be null");
        }
        this.listener = listener;
        this.lastEventId = lastEventId;
        this.lastEventIdBuffer = lastEventId;
    }

    /**
     * The last event ID string: the value of the last {@code id} field (without NUL) of an event that
     * was dispatched, or would have been but for its empty data. This is what a reconnection sends as
     * {@code Last-Event-ID}.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /** Feeds the next chunk of the stream. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Feeds the next chunk of the stream: {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        ByteBuffer in;
        if (undecoded.length == 0) {
            in = ByteBuffer.wrap(bytes, offset, length);
        } else {
            in = ByteBuffer.allocate(undecoded.length + length);
            in.put(undecoded).put(bytes, offset, length).flip();
        }
        // UTF-8 never yields more chars than bytes, replacement characters included.
        CharBuffer out = CharBuffer.allocate(in.remaining());
        decoder.decode(in, out, false);
        undecoded = new byte[in.remaining()];
        in.get(undecoded);
        accept(out.flip());
    }

    /**
     * Ends the stream. "Once the end of the file is reached, any pending data must be discarded. (If
     * the file ends in the middle of an event, before the final empty line, the incomplete event is not
     * dispatched.)" An unfinished last line is pending data too.
     */
    public void end() {
        undecoded = new byte[0];
        decoder.reset();
        line.setLength(0);
        dataBuffer.setLength(0);
        eventTypeBuffer = "";
        lastEventIdBuffer = lastEventId;
    }

    private void accept(CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (atStreamStart) {
                atStreamStart = false;
                // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
                // Only one: a second BOM is part of the first field name.
                if (c == BOM) {
                    continue;
                }
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (c == '\n') {
                    continue; // the LF of a CRLF; the CR already ended the line
                }
            }
            if (c == '\r') {
                afterCarriageReturn = true;
                endOfLine();
            } else if (c == '\n') {
                endOfLine();
            } else {
                line.append(c);
            }
        }
    }

    private void endOfLine() {
        String text = line.toString();
        line.setLength(0);
        if (text.isEmpty()) {
            dispatch();
        } else if (text.charAt(0) == ':') {
            return; // a comment, e.g. a keep-alive
        } else {
            int colon = text.indexOf(':');
            if (colon < 0) {
                // "the whole line as the field name, and the empty string as the field value"
                processField(text, "");
            } else {
                String value = text.substring(colon + 1);
                // "If value starts with a U+0020 SPACE character, remove it" - one space, not a tab.
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                processField(text.substring(0, colon), value);
            }
        }
    }

    private void processField(String name, String value) {
        // Field names are compared case-sensitively: "Data" is an unknown field and ignored.
        switch (name) {
            case "event" -> eventTypeBuffer = value;
            case "data" -> dataBuffer.append(value).append('\n');
            case "id" -> {
                // An id with NUL is ignored so that a NUL can never reach the Last-Event-ID header.
                if (value.indexOf('\0') < 0) {
                    lastEventIdBuffer = value;
                }
            }
            case "retry" -> {
                if (isAsciiDigits(value)) {
                    try {
                        listener.onRetry(Long.parseLong(value));
                    } catch (NumberFormatException tooLarge) {
                        // digits beyond a long: not a usable time, ignored like any bogus value
                    }
                }
            }
            default -> {
                // unknown field: ignored
            }
        }
    }

    private void dispatch() {
        // The last event ID is committed first: an event with an id but no data still sets it.
        lastEventId = lastEventIdBuffer;
        if (dataBuffer.length() == 0) {
            eventTypeBuffer = "";
            return;
        }
        dataBuffer.setLength(dataBuffer.length() - 1); // the LF after the last data line
        String type = eventTypeBuffer.isEmpty() ? ServerSentEvent.DEFAULT_TYPE : eventTypeBuffer;
        ServerSentEvent event = new ServerSentEvent(type, dataBuffer.toString(), lastEventId);
        dataBuffer.setLength(0);
        eventTypeBuffer = "";
        listener.onEvent(event);
    }

    private static boolean isAsciiDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}

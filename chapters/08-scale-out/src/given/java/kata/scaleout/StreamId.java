package kata.scaleout;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import kata.chat.BadRequest;

/**
 * A Redis stream entry id, {@code 1718000000000-0}: the milliseconds of the Redis clock when the entry was
 * added, and a sequence number for entries added in the same millisecond. Ids only grow, so they order
 * the conversation and serve as the cursor a client resumes from — on any node.
 *
 * <p>{@link #ZERO} ({@code 0-0}, sent as {@code 0}) is the cursor of a page that has seen nothing yet.
 * Given code: read it once.
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
    public static final StreamId ZERO = new StreamId(0, 0);

    /** {@code "0"} or {@code "<millis>-<sequence>"}, both whole numbers from 0 up; anything else is a 400. */
    public static StreamId parse(String text) {
        if (text != null && text.matches("\\d{1,20}(-\\d{1,20})?")) {
            try {
                int dash = text.indexOf('-');
                return dash < 0
                        ? new StreamId(Long.parseUnsignedLong(text), 0)
                        : new StreamId(Long.parseUnsignedLong(text.substring(0, dash)),
                                Long.parseUnsignedLong(text.substring(dash + 1)));
            } catch (NumberFormatException tooLarge) {
                // falls through to the 400 below
            }
        }
        throw new BadRequest(StatusCodes.BAD_REQUEST, "a cursor is a Redis stream id like 1718000000000-0 (or 0), not \""
                + (text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"");
    }

    /**
     * Where a client resumes: its EventSource's {@code Last-Event-ID} header when it sends one (an automatic
     * reconnection), else the {@code since} query parameter, else {@link #ZERO}.
     *
     * @throws BadRequest 400 when the one it sent is not a stream id
     */
    public static StreamId cursor(HttpServerExchange exchange) {
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isEmpty()) {
            return parse(lastEventId);
        }
        Deque<String> since = exchange.getQueryParameters().get("since");
        return since == null || since.isEmpty() ? ZERO : parse(since.getFirst());
    }

    public boolean isZero() {
        return millis == 0 && sequence == 0;
    }

    public boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    /** As Redis writes it: {@code 1718000000000-0}. */
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}

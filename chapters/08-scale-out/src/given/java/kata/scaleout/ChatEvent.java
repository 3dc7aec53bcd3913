package kata.scaleout;

/**
 * One message of the chat as every page receives it: {@code {"id":"1718000000000-0","author":"Alice","text":"hi"}}.
 * The id is the Redis stream entry's id (a string: {@link StreamId}), not a number the node made up: every
 * node sees the same id for the same message. Given code.
 */
public record ChatEvent(String id, String author, String text) {
    public StreamId streamId() {
        return StreamId.parse(id);
    }
}

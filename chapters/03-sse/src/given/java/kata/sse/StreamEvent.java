package kata.sse;

/**
 * One event of the chat's stream, as the server keeps it in its history: every event has an id, one
 * greater than the last, whatever its type.
 *
 * @param type {@link #MESSAGE} for a chat message, or a named event: {@link #PRESENCE}, {@link #RESET}
 * @param data the event's text; may hold line breaks
 */
record StreamEvent(long id, String type, String data) {
    /** A chat message; its data is the line as shown: "Alice: hi". */
    static final String MESSAGE = "message";
    /** Someone opened their first stream or closed their last: {"name":…,"status":…,"online":[…]}. */
    static final String PRESENCE = "presence";
    /** "What you have is too old: start again from what follows." Sent instead of a replay that has gaps. */
    static final String RESET = "reset";
}

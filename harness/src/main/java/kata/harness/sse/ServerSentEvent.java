package kata.harness.sse;

/**
 * One event as the event stream parser dispatches it: what becomes a {@code MessageEvent} in the page.
 *
 * @param type the event type, {@code "message"} when the stream gave none or an empty one
 * @param data the data lines joined with LF, without the trailing LF
 * @param lastEventId the last event ID string at the time of dispatch (it persists between events)
 */
public record ServerSentEvent(String type, String data, String lastEventId) {

    /** The type of an event whose stream gave no (or an empty) {@code event} field. */
    public static final String DEFAULT_TYPE = "message";
}

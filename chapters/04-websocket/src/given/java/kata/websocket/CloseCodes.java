package kata.websocket;

/**
 * The close codes this server sends (RFC 6455 §7.4.1), each with the reason it writes beside it. A close
 * frame carries a two-byte code and up to 123 bytes of UTF-8 reason; the page sees both in its
 * {@code close} event ({@code event.code}, {@code event.reason}).
 */
final class CloseCodes {
    /** The server shuts down, or a socket stopped answering pings. The page reconnects later. */
    static final int GOING_AWAY = 1001;
    /** A binary message: this chat speaks JSON text only. */
    static final int UNSUPPORTED_DATA = 1003;
    /** A text message that is not a chat frame: malformed JSON, not an object, no known "type". */
    static final int INVALID_PAYLOAD = 1007;
    /** The socket cannot keep up: more frames wait for it than the server keeps per socket. */
    static final int POLICY_VIOLATION = 1008;
    /** A message over the size limit ({@link Settings#maxMessageBytes()}). */
    static final int MESSAGE_TOO_BIG = 1009;

    private CloseCodes() {
    }
}

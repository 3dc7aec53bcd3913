package kata.harness.ws;

import java.net.URI;

/**
 * Told of the HTTP status that answered each WebSocket opening handshake a page made: {@code 101} when the
 * socket opened, the server's status (403, 501, …) when it refused the upgrade. A page never sees that
 * status (its socket only fires {@code error} and {@code close 1006}), and the handshake bypasses HtmlUnit's
 * {@code WebConnection}, so this is how a test learns it, as a browser's network panel shows it.
 */
@FunctionalInterface
public interface HandshakeObserver {
    HandshakeObserver NONE = (url, status) -> { };

    /** @param url the socket's {@code ws://} or {@code wss://} URL */
    void answered(URI url, int status);
}

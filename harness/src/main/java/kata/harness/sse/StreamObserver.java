package kata.harness.sse;

import java.net.URI;

/**
 * Told of every response an {@code EventSource} gets, before its stream is read: what HtmlUnit's
 * {@code WebConnection} wrappers see of the page's other requests, which the streams bypass.
 */
@FunctionalInterface
public interface StreamObserver {
    StreamObserver NONE = (url, status, bodyStart) -> { };

    /**
     * @param bodyStart for a status other than 200, the first line or so of the body (a server's reason);
     *                  empty for 200, whose body is the stream
     */
    void responded(URI url, int status, String bodyStart);
}

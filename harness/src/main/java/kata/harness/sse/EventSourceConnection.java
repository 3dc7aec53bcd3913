package kata.harness.sse;

import kata.harness.WebOrigin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The network half of an EventSource: fetches the stream on a daemon thread of its own, feeds it to an
 * {@link EventStreamParser} and reconnects as the WHATWG HTML standard says ("Server-sent events",
 * "Processing model"). Knows nothing of pages or JavaScript: it reports to a {@link Listener}, which is
 * called on the reader thread and must hand things over to the page itself.
 *
 * <ul>
 * <li>Status 200 with a {@code text/event-stream} Content-Type: the connection is announced (open).</li>
 * <li>Any other status (204 included) or Content-Type, or a failed CORS check: the connection fails;
 *     no reconnection.</li>
 * <li>The stream ends or a network error happens: reconnection after the reconnection time (default
 *     {@value #DEFAULT_RECONNECTION_TIME_MILLIS} ms, changed by {@code retry}), with {@code Last-Event-ID}
 *     when the last event ID string is not empty.</li>
 * </ul>
 */
final class EventSourceConnection {

    /** What browsers use before a {@code retry} field says otherwise (Chrome and Firefox: 3 s). */
    static final long DEFAULT_RECONNECTION_TIME_MILLIS = 3000;

    /** Told what happens, in order, on the reader thread. */
    interface Listener {

        /** The response was accepted: "announce the connection". */
        void onOpen();

        /** An event to dispatch; {@code origin} is the serialized origin of the stream's final URL. */
        void onEvent(ServerSentEvent event, String origin);

        /** The stream ended or the network failed: "reestablish the connection" follows after a delay. */
        void onReconnecting();

        /** The response was refused: "fail the connection". Nothing follows. */
        void onFailed(String reason);
    }

    /** What a request carries besides the URL; asked again for each reconnection (cookies change). */
    interface RequestHeaders extends Supplier<Map<String, String>> {
    }

    private final HttpClient client;
    private final URI url;
    private final RequestHeaders headers;
    private final CorsCheck cors;
    private final Listener listener;
    private final StreamObserver observer;
    private final Thread reader;

    private volatile boolean closed;
    private volatile InputStream body;
    private volatile long reconnectionTimeMillis;
    private String lastEventId = "";

    EventSourceConnection(HttpClient client, URI url, RequestHeaders headers, CorsCheck cors,
            long reconnectionTimeMillis, Listener listener, StreamObserver observer) {
        this.observer = observer;
        this.client = client;
        this.url = url;
        this.headers = headers;
        this.cors = cors;
        this.reconnectionTimeMillis = reconnectionTimeMillis;
        this.listener = listener;
        this.reader = new Thread(this::run, "EventSource-" + url);
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** The reader thread; exposed so that tests and owners can wait for it to end. */
    Thread readerThread() {
        return reader;
    }

    /**
     * Aborts the fetch and ends the reader thread, whatever it is doing: waiting for headers, reading, or
     * waiting to reconnect. Nothing is reported after this returns, except an event already being
     * reported. Idempotent; callable from any thread.
     */
    void close() {
        closed = true;
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted; the reader sees the end of its stream either way
            }
        }
        reader.interrupt();
    }

    private void run() {
        while (!closed) {
            if (!connectAndRead()) {
                return;
            }
            if (closed) {
                return;
            }
            listener.onReconnecting();
            try {
                Thread.sleep(reconnectionTimeMillis);
            } catch (InterruptedException e) {
                return; // closed while waiting
            }
        }
    }

    /** One fetch. Returns whether to reconnect. */
    private boolean connectAndRead() {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException networkError) {
            return true;
        } catch (InterruptedException e) {
            return false;
        }
        body = response.body();
        try (InputStream in = response.body()) {
            if (closed) {
                return false;
            }
            String refusal = refusal(response);
            if (refusal != null) {
                observer.responded(url, response.statusCode(), response.statusCode() == 200 ? "" : start(in));
                listener.onFailed(refusal);
                return false;
            }
            String origin = WebOrigin.of(response.uri());
            listener.onOpen();
            // Seen once its open is queued for the page: a test that sees the answer and then an idle page
            // knows the page has run its open.
            observer.responded(url, response.statusCode(), "");
            EventStreamParser parser = new EventStreamParser(new EventStreamParser.Listener() {
                @Override
                public void onEvent(ServerSentEvent event) {
                    if (!closed) {
                        listener.onEvent(event, origin);
                    }
                }

                @Override
                public void onRetry(long millis) {
                    reconnectionTimeMillis = millis;
                }
            }, lastEventId);
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0 && !closed; n = in.read(buffer)) {
                    parser.feed(buffer, 0, n);
                }
            } catch (IOException networkErrorOrClosed) {
                // the end of this stream, in the middle of it
            }
            parser.end();
            lastEventId = parser.lastEventId();
            return !closed;
        } catch (IOException closing) {
            return !closed;
        } finally {
            body = null;
        }
    }

    /** The first bytes of a refused response's body: the server's reason, for whoever observes. */
    private static String start(InputStream in) {
        try {
            return new String(in.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private HttpRequest request() {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        headers.get().forEach(request::header);
        // The standard's request: Accept text/event-stream, cache mode no-store (browsers send
        // Cache-Control: no-cache), and Last-Event-ID when there is one (never with NUL, CR or LF: the
        // parser drops ids with NUL, and a line end cannot be inside one).
        request.header("Accept", "text/event-stream");
        request.header("Cache-Control", "no-cache");
        if (!lastEventId.isEmpty()) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    /** Why a response must fail the connection, or null when it is an event stream to read. */
    private String refusal(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            return "HTTP status " + response.statusCode() + " is not 200";
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String essence = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!essence.equals("text/event-stream")) {
            return "Content-Type '" + contentType + "' is not text/event-stream";
        }
        return cors.refusal(response.headers());
    }
}

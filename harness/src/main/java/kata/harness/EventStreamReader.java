package kata.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import kata.harness.sse.EventStreamParser;
import kata.harness.sse.ServerSentEvent;

/**
 * An event stream read on the wire, as a test sees it: the exact bytes, and the events a browser would
 * dispatch from them (parsed by the harness's {@link EventStreamParser}). The stream is read on a thread of
 * its own; every wait has a deadline and fails with an {@link AssertionError} that says what arrived
 * instead. Close it to hang up, as a browser tab that is closed would.
 *
 * <pre>
 * try (EventStreamReader stream = EventStreamReader.open(app.url("/events"), Map.of("Last-Event-ID", "2"))) {
 *     List&lt;ServerSentEvent&gt; events = stream.awaitEvents(2);
 * }
 * </pre>
 *
 * It sends what a browser's EventSource sends ({@code Accept: text/event-stream}, {@code Cache-Control:
 * no-cache}) and never reconnects: one reader, one connection.
 */
public final class EventStreamReader implements AutoCloseable {
    /** How long a wait for bytes or events lasts before the test fails. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .sslContext(PlainHttpOnly.context())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String target;
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(); // guarded by this
    private final List<ServerSentEvent> events = new ArrayList<>(); // guarded by this
    private final List<Integer> eventEnds = new ArrayList<>(); // raw length after each event; guarded by this
    private final List<Long> retries = new ArrayList<>(); // guarded by this
    private boolean ended; // guarded by this

    private EventStreamReader(String target, HttpResponse<InputStream> response) {
        this.target = target;
        this.status = response.statusCode();
        this.headers = new LinkedHashMap<>(response.headers().map());
        this.body = response.body();
    }

    /** Opens {@code url} as an event stream, without {@code Last-Event-ID}. */
    public static EventStreamReader open(String url) {
        return open(url, Map.of());
    }

    /**
     * Opens {@code url} as an event stream with extra request headers (for example {@code Last-Event-ID}).
     * Fails at once, with the server's reason, when the answer is not {@code 200 text/event-stream}.
     */
    public static EventStreamReader open(String url, Map<String, String> extraHeaders) {
        URI uri = URI.create(url);
        String target = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (extraHeaders.isEmpty() ? "" : " with " + extraHeaders);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(DEADLINE)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        extraHeaders.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new AssertionError(target + " got no answer (not even its headers) within "
                    + DEADLINE.toSeconds() + " s: an event stream answers its headers at once and stays open.", e);
        } catch (IOException e) {
            throw new AssertionError(target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        EventStreamReader reader = new EventStreamReader(target, response);
        String type = reader.header("Content-Type").orElse("(none)");
        if (reader.status != 200 || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            String reason = reader.status != 200 ? reader.bodyStart() : ""; // a 200 body may never end
            reader.close();
            throw new AssertionError(target + " answered " + reader.status + " with Content-Type " + type
                    + (reason.isBlank() ? "" : ": " + reason.strip().lines().findFirst().orElse(""))
                    + " — an event stream answers 200 with Content-Type: text/event-stream");
        }
        Thread thread = new Thread(reader::read, "EventStreamReader " + target);
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    public int status() {
        return status;
    }

    /** A response header, its name compared without regard to case. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
    }

    /** Waits for the first {@code n} events (of any type) and returns them. */
    public List<ServerSentEvent> awaitEvents(int n) {
        await(n + " event" + (n == 1 ? "" : "s"), () -> events.size() >= n);
        synchronized (this) {
            return List.copyOf(events.subList(0, n));
        }
    }

    /** Waits until the raw text so far holds {@code fragment}; returns the raw text. */
    public String awaitText(String fragment) {
        await("\"" + fragment.replace("\n", "\\n") + "\" on the wire", () -> rawText().contains(fragment));
        return rawText();
    }

    /** Waits until the raw text so far satisfies {@code condition}; returns it. */
    public String awaitText(String expectation, Predicate<String> condition) {
        await(expectation, () -> condition.test(rawText()));
        return rawText();
    }

    /** Waits for the first {@code n} events and returns the exact text of the stream up to the end of the n-th. */
    public String awaitTextOfEvents(int n) {
        awaitEvents(n);
        synchronized (this) {
            return new String(raw.toByteArray(), 0, eventEnds.get(n - 1), StandardCharsets.UTF_8);
        }
    }

    /** Waits until the server ends the stream. */
    public void awaitEnd() {
        await("the end of the stream", () -> ended);
    }

    /** The events so far. */
    public synchronized List<ServerSentEvent> events() {
        return List.copyOf(events);
    }

    /** The valid {@code retry} values seen so far, in milliseconds. */
    public synchronized List<Long> retries() {
        return List.copyOf(retries);
    }

    /** Everything read so far, as text. */
    public synchronized String rawText() {
        return raw.toString(StandardCharsets.UTF_8);
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Hangs up: closes the connection. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // hanging up is all we wanted
        }
    }

    private interface Condition {
        boolean holds();
    }

    private synchronized void await(String expectation, Condition condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.holds()) {
            long left = end - System.nanoTime();
            if (ended || left <= 0) {
                String seen = rawText();
                throw new AssertionError(target + " should bring " + expectation + " — but "
                        + (ended ? "the server ended the stream" : "it did not within " + DEADLINE.toSeconds() + " s")
                        + ". It sent " + (seen.isEmpty() ? "nothing" : seen.length() > 600
                                ? "(first 600 characters):\n" + seen.substring(0, 600) : ":\n" + seen));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The reader thread: bytes in, events out. */
    private void read() {
        EventStreamParser parser = new EventStreamParser(new EventStreamParser.Listener() {
            @Override
            public void onEvent(ServerSentEvent event) {
                events.add(event);
                eventEnds.add(raw.size());
            }

            @Override
            public void onRetry(long millis) {
                retries.add(millis);
            }
        });
        byte[] buffer = new byte[8192];
        try (InputStream in = body) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (this) {
                    // Fed in pieces that end at line ends: an event is dispatched at a line end, so the raw
                    // length at that moment is exactly where the event ends on the wire.
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n' || buffer[i] == '\r') {
                            raw.write(buffer, start, i + 1 - start);
                            parser.feed(buffer, start, i + 1 - start);
                            start = i + 1;
                        }
                    }
                    raw.write(buffer, start, n - start);
                    parser.feed(buffer, start, n - start);
                    notifyAll();
                }
            }
        } catch (IOException endedOrClosed) {
            // the end of the stream, however it came
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private String bodyStart() {
        try {
            return new String(body.readNBytes(300), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

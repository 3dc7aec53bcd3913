package kata.scaleout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kata.harness.PlainHttpOnly;

/**
 * A raw Server-Sent Events client for wire tests: opens {@code GET url}, records the status, the headers
 * and every event ({@code id}, {@code event}, {@code data}) as they arrive, on a thread of its own. No
 * reconnection: a test that wants one opens a new stream. Close it, or let the test's end close it.
 */
final class EventStream implements AutoCloseable {
    record Event(String id, String type, String data) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .sslContext(PlainHttpOnly.context())
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger();
    private volatile Map<String, List<String>> headers = Map.of();
    private volatile String problem;
    private volatile boolean ended;
    private volatile Stream<String> body;
    private final Thread reader;

    private EventStream(String url, Map<String, String> requestHeaders) {
        reader = new Thread(() -> read(url, requestHeaders), "test-event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    static EventStream open(String url) {
        return new EventStream(url, Map.of());
    }

    static EventStream open(String url, Map<String, String> requestHeaders) {
        return new EventStream(url, requestHeaders);
    }

    private void read(String url, Map<String, String> requestHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "text/event-stream");
        requestHeaders.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            headers = response.headers().map();
            body = response.body();
            status.set(response.statusCode());
            String id = null;
            String type = null;
            StringBuilder data = null;
            for (String line : (Iterable<String>) body::iterator) {
                lines.add(line);
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!ended) {
                problem = e.toString();
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    /** 0 until the answer's head arrived. */
    int status() {
        return status.get();
    }

    String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse("(absent)");
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    /** The data of each plain message event, in order. */
    List<String> data() {
        return events.stream().filter(e -> e.type().equals("message")).map(Event::data).toList();
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }

    boolean ended() {
        return ended;
    }

    String describe() {
        return "status " + (status() == 0 ? "(none yet)" : status()) + ", " + events.size() + " events"
                + (ended ? ", ended" : "") + (problem == null ? "" : ", " + problem)
                + (events.isEmpty() ? "" : ": " + events.subList(Math.max(0, events.size() - 4), events.size()));
    }

    @Override
    public void close() {
        ended = true;
        Stream<String> open = body;
        if (open != null) {
            open.close();
        }
        reader.interrupt();
    }
}

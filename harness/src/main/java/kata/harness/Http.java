package kata.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Plain HTTP for wire-level and attack tests: what a browser would never send, or where the exact
 * bytes matter. Every call has a deadline, so a server that never answers fails the test instead of
 * hanging it.
 */
public final class Http {
    /** Longer than any hold a chapter configures in its tests, shorter than JUnit's default timeout. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .sslContext(PlainHttpOnly.context())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    public static Response get(String url) {
        return send("GET", url, null, Map.of());
    }

    public static Response postJson(String url, String json) {
        return send("POST", url, json, Map.of("Content-Type", "application/json"));
    }

    /** Any method, any body (null for none), any headers the JDK's client lets us set. */
    public static Response send(String method, String url, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(DEADLINE)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            var response = CLIENT.send(request.build(), BodyHandlers.ofString());
            return new Response(method, URI.create(url), response.statusCode(),
                    new TreeMap<>(response.headers().map()), response.body());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError(method + " " + url + " got no answer within " + DEADLINE.toSeconds()
                    + " s: the server holds the request and never completes it.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer as the test sees it. Header names are compared without regard to case. */
    public record Response(String method, URI uri, int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        /** "GET /messages?since=0" */
        public String requestLine() {
            return method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }

        /**
         * The exchange as a reviewer reads it, for an approved snapshot: the request line, the status,
         * the named headers (those that are stable and matter to the lesson) and the body.
         */
        public String transcript(String... headerNames) {
            List<String> lines = new ArrayList<>();
            lines.add("> " + requestLine());
            lines.add("< " + status);
            for (String name : headerNames) {
                lines.add("< " + name + ": " + header(name).orElse("(absent)"));
            }
            lines.add("");
            lines.add(body);
            return String.join("\n", lines);
        }

        public String describe() {
            String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
            return requestLine() + " answered " + status + (shown.isBlank() ? "" : ": " + shown.strip());
        }

        public String contentType() {
            return header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        }

        /**
         * For a step on the way to a test's subject (a login before the test proper): when the stub answered
         * 501, the test cannot get further, and says so pointing where the stub points ({@link BlockedByStub}).
         */
        public Response passedTheStub(String step) {
            if (status == 501) {
                String said = body.strip().replaceFirst("^501 Not Implemented: ", "");
                throw new BlockedByStub(step + " — and it cannot happen yet: the server answered 501 Not Implemented to "
                        + requestLine() + ".\n  It says: \u201c" + said + "\u201d", BlockedByStub.sectionIn(said));
            }
            return this;
        }
    }
}

package kata.cors;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import kata.harness.Browser;
import org.htmlunit.util.NameValuePair;

/**
 * What one browser sent to the servers and what they answered, request by request, as the server saw
 * it (the browser's preflights included); so a test can check the server's side of a story the page tells.
 *
 * <p>It used to also filter the headers a page may read, which HtmlUnit 5.7.0 does not; the harness's
 * browser now keeps the whole CORS protocol as Chromium does (kata.harness.cors.BrowserLikeCors).
 */
final class Wire {
    /** One request and its answer. Header names are compared without regard to case. */
    record Exchange(String method, URL url, Map<String, String> sent, int status, List<NameValuePair> answered) {
        Optional<String> sentHeader(String name) {
            return sent.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst();
        }

        Optional<String> answerHeader(String name) {
            return answered.stream().filter(h -> h.getName().equalsIgnoreCase(name))
                    .map(NameValuePair::getValue).findFirst();
        }

        String path() {
            return url.getPath();
        }

        @Override
        public String toString() {
            return method + " " + url + " from " + sentHeader("Origin").orElse("(no Origin)") + " → " + status;
        }
    }

    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private Wire() {
    }

    static Wire tap(Browser browser) {
        Wire wire = new Wire();
        browser.tapTheWire((request, response) -> wire.exchanges.add(new Exchange(request.getHttpMethod().name(),
                request.getUrl(), new TreeMap<>(request.getAdditionalHeaders()), response.getStatusCode(),
                List.copyOf(response.getResponseHeaders()))));
        return wire;
    }

    List<Exchange> all() {
        return List.copyOf(exchanges);
    }

    /** The exchanges with this method and path, oldest first. */
    List<Exchange> to(String method, String path) {
        return exchanges.stream().filter(e -> e.method().equals(method) && e.path().equals(path)).toList();
    }

    String describe() {
        return exchanges.isEmpty() ? "none" : exchanges.stream().map(Exchange::toString).collect(Collectors.joining(", "));
    }
}

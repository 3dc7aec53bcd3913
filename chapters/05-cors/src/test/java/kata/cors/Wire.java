package kata.cors;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import kata.harness.Browser;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebConnectionWrapper;
import org.htmlunit.util.WebResponseWrapper;

/**
 * What one browser sent to the servers and what they answered, request by request, as the server saw
 * it; so a test can check the server's side of a story the page tells.
 *
 * <p>It also closes a gap between HtmlUnit 5.7.0 and real browsers: HtmlUnit lets a page read every
 * header of a cross-origin answer ({@code getResponseHeader}, {@code getAllResponseHeaders}), while
 * Chrome, Firefox and Safari show a cross-origin page only the CORS-safelisted response headers and
 * those the server names in {@code Access-Control-Expose-Headers} (Fetch standard, "CORS-filtered
 * response"). Here the page gets that filtered view. The {@code Access-Control-*} headers stay, because
 * HtmlUnit's own CORS check reads them after this point.
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

    private static final Set<String> SAFELISTED = Set.of("cache-control", "content-language", "content-length",
            "content-type", "expires", "last-modified", "pragma");

    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private Wire() {
    }

    static Wire tap(Browser browser) {
        Wire wire = new Wire();
        new WebConnectionWrapper(browser.client()) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                WebResponse response = super.getResponse(request);
                wire.exchanges.add(new Exchange(request.getHttpMethod().name(), request.getUrl(),
                        new TreeMap<>(request.getAdditionalHeaders()), response.getStatusCode(),
                        List.copyOf(response.getResponseHeaders())));
                return filtered(request, response);
            }
        };
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

    private static WebResponse filtered(WebRequest request, WebResponse response) {
        String origin = request.getAdditionalHeader("Origin");
        if (origin == null || origin.equals(originOf(request.getUrl())) || "OPTIONS".equals(request.getHttpMethod().name())) {
            return response; // same-origin, or a preflight (which no page ever sees)
        }
        boolean credentialed = !request.hasHint(WebRequest.HttpHint.BlockCookies);
        Set<String> exposed = response.getResponseHeaders().stream()
                .filter(h -> h.getName().equalsIgnoreCase("Access-Control-Expose-Headers"))
                .flatMap(h -> Arrays.stream(h.getValue().split(",")))
                .map(name -> name.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        // "*" exposes every header, but only to a request without credentials; with credentials it is
        // the name of a header called "*".
        boolean all = exposed.contains("*") && !credentialed;
        List<NameValuePair> visible = new ArrayList<>();
        for (NameValuePair header : response.getResponseHeaders()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith("access-control-")
                    || (!name.equals("set-cookie") && (all || SAFELISTED.contains(name) || exposed.contains(name)))) {
                visible.add(header);
            }
        }
        return new WebResponseWrapper(response) {
            @Override
            public List<NameValuePair> getResponseHeaders() {
                return visible;
            }

            @Override
            public String getResponseHeaderValue(String headerName) {
                return visible.stream().filter(h -> h.getName().equalsIgnoreCase(headerName))
                        .map(NameValuePair::getValue).findFirst().orElse(null);
            }
        };
    }

    private static String originOf(URL url) {
        return url.getProtocol() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }
}

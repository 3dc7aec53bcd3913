package kata.harness.cors;

import static io.undertow.Handlers.path;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server of the CORS cases, one socket reached under two origins: the page at
 * {@code http://localhost:<port>/cors-cases.html}, the API at {@code http://127.0.0.1:<port>/api/<case>}.
 *
 * <ul>
 *   <li>{@code /cors-cases.html?api=<origin>&cases=<id,id|all>} runs cases one after the other and writes
 *       each outcome into {@code <li data-case=id>}, then {@code done} into {@code #done};</li>
 *   <li>{@code /cors-cases.json}: the case table ({@link CorsCases#json()});</li>
 *   <li>{@code /api/<case>?<answer>} answers as its query says, and notes what reached it under the case's
 *       name ({@link #wire(String)}). A preflight ({@code OPTIONS}) is answered with status {@code pf}
 *       (204 by default) and the headers {@code pfAcao}, {@code pfAcac}, {@code pfAcam}, {@code pfAcah},
 *       {@code pfMaxAge}; any other method with 200, body {@code ok}, the headers {@code acao}, {@code acac},
 *       {@code aceh}, and always {@code X-Custom: custom}, {@code Content-Language: en},
 *       {@code Set-Cookie: crumb=1} and {@code Cache-Control: no-store}. A parameter given twice is two
 *       header lines; the value {@code origin} is the request's {@code Origin}, {@code origin/} the same with
 *       a slash, {@code ORIGIN} the same upper-cased. With {@code hop} it answers {@code 307} instead, to the
 *       same URL without {@code hop}, with {@code hopAcao} as its Access-Control-Allow-Origin.</li>
 * </ul>
 */
public final class CorsCaseServer implements AutoCloseable {

    private final Undertow undertow;
    private final Map<String, List<String>> wire = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, String>>> headers = new ConcurrentHashMap<>();

    private CorsCaseServer(Undertow undertow) {
        this.undertow = undertow;
    }

    public static CorsCaseServer start(int port) {
        CorsCaseServer[] server = new CorsCaseServer[1];
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(path()
                        .addExactPath("/cors-cases.html", exchange -> page(exchange))
                        .addExactPath("/cors-cases.json", exchange -> send(exchange, "application/json", CorsCases.json()))
                        .addPrefixPath("/api", exchange -> server[0].api(exchange)))
                .build();
        server[0] = new CorsCaseServer(undertow);
        undertow.start();
        return server[0];
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The page's origin. */
    public String pageOrigin() {
        return "http://localhost:" + port();
    }

    /** The API's origin: the same socket, another origin. */
    public String apiOrigin() {
        return "http://127.0.0.1:" + port();
    }

    /** The page that runs the given cases (ids), or all of them. */
    public String pageUrl(List<String> caseIds) {
        return pageOrigin() + "/cors-cases.html?api=" + apiOrigin() + "&cases="
                + (caseIds.isEmpty() ? "all" : String.join(",", caseIds));
    }

    /** What reached the API for a case, in order: {@code OPTIONS acrm=PUT acrh=x-custom, PUT}. */
    public String wire(String caseId) {
        List<String> requests = wire.getOrDefault(caseId, List.of());
        return requests.isEmpty() ? "nothing" : String.join(", ", requests);
    }

    /**
     * The request headers of each request that reached the API for a case, in order; names lower-cased, a
     * header sent twice joined with ", ".
     */
    public List<Map<String, String>> requestHeaders(String caseId) {
        return List.copyOf(headers.getOrDefault(caseId, List.of()));
    }

    private void api(HttpServerExchange exchange) {
        String caseId = exchange.getRelativePath().replaceFirst("^/", "");
        String method = exchange.getRequestMethod().toString();
        StringBuilder seen = new StringBuilder(method);
        if (method.equals("OPTIONS")) {
            String acrm = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
            String acrh = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
            if (acrm != null) {
                seen.append(" acrm=").append(acrm);
            }
            if (acrh != null) {
                seen.append(" acrh=").append(acrh);
            }
            if (exchange.getRequestHeaders().contains(Headers.COOKIE)) {
                seen.append(" with cookies");
            }
        }
        Map<String, String> sent = new TreeMap<>();
        exchange.getRequestHeaders().forEach(values -> sent.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT),
                String.join(", ", values)));
        headers.computeIfAbsent(caseId, id -> new CopyOnWriteArrayList<>()).add(sent);
        wire.computeIfAbsent(caseId, id -> new CopyOnWriteArrayList<>()).add(seen.toString());

        Map<String, Deque<String>> query = exchange.getQueryParameters();
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (method.equals("OPTIONS")) {
            exchange.setStatusCode(Integer.parseInt(first(query, "pf", "204")));
            answer(exchange, query, origin, "pfAcao", "Access-Control-Allow-Origin");
            answer(exchange, query, origin, "pfAcac", "Access-Control-Allow-Credentials");
            answer(exchange, query, origin, "pfAcam", "Access-Control-Allow-Methods");
            answer(exchange, query, origin, "pfAcah", "Access-Control-Allow-Headers");
            answer(exchange, query, origin, "pfMaxAge", "Access-Control-Max-Age");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.endExchange();
            return;
        }
        if (query.containsKey("hop")) { // a redirect to the same URL without hop, with hopAcao as its CORS header
            answer(exchange, query, origin, "hopAcao", "Access-Control-Allow-Origin");
            String rest = exchange.getQueryString().replaceAll("(^|&)(hop|hopAcao)(=[^&]*)?", "").replaceFirst("^&", "");
            exchange.setStatusCode(307);
            exchange.getResponseHeaders().put(Headers.LOCATION, exchange.getRequestPath() + (rest.isEmpty() ? "" : "?" + rest));
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.endExchange();
            return;
        }
        answer(exchange, query, origin, "acao", "Access-Control-Allow-Origin");
        answer(exchange, query, origin, "acac", "Access-Control-Allow-Credentials");
        answer(exchange, query, origin, "aceh", "Access-Control-Expose-Headers");
        exchange.getResponseHeaders().put(HttpString.tryFromString("X-Custom"), "custom");
        exchange.getResponseHeaders().put(Headers.CONTENT_LANGUAGE, "en");
        exchange.getResponseHeaders().put(Headers.SET_COOKIE, "crumb=1");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        send(exchange, "text/plain", "ok");
    }

    private static void answer(HttpServerExchange exchange, Map<String, Deque<String>> query, String origin,
            String parameter, String header) {
        for (String value : query.getOrDefault(parameter, new ArrayDeque<>())) {
            String written = switch (value) {
                case "origin" -> String.valueOf(origin);
                case "origin/" -> origin + "/";
                case "ORIGIN" -> String.valueOf(origin).toUpperCase(Locale.ROOT);
                default -> value;
            };
            exchange.getResponseHeaders().add(HttpString.tryFromString(header), written);
        }
    }

    private static String first(Map<String, Deque<String>> query, String name, String otherwise) {
        Deque<String> values = query.get(name);
        return values == null || values.isEmpty() ? otherwise : values.getFirst();
    }

    private static void page(HttpServerExchange exchange) {
        try (InputStream in = CorsCaseServer.class.getResourceAsStream("cors-cases.html")) {
            send(exchange, "text/html; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpServerExchange exchange, String contentType, String body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

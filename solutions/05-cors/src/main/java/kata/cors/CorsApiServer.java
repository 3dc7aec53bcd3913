package kata.cors;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Requests;

/**
 * Chapter 05, CORS: the chat API on an origin of its own. It serves the app (on another origin) and
 * only the app: the app may read, post and use the visitor's session; any other site may do nothing.
 *
 * <pre>
 * POST    /session           {"name": "Alice"} → 200 {"name": "Alice"} and the session cookie (log in)
 * GET     /session           → 200 {"name": "Alice"} with the session cookie, 401 without
 * GET     /messages?since=N  → the messages newer than N; X-Chat-Last-Id: the newest id there is
 * POST    /messages          {"author": "…", "text": "hi"} with the cookie → stored under the session's name
 * OPTIONS any path           the preflight
 * </pre>
 */
public final class CorsApiServer implements AutoCloseable {
    static final String SESSION_COOKIE = "chat_session";
    static final String LAST_ID = "X-Chat-Last-Id";
    static final int HISTORY = 1000;
    static final int MAX_SESSIONS = 10_000;

    /** What the app may send: the methods it uses, and the headers that made its requests non-simple. */
    static final String ALLOWED_METHODS = "GET, POST";
    static final String ALLOWED_HEADERS = "Content-Type, X-Requested-With";
    /** How long a browser may reuse a preflight's answer before asking again (Chrome caps it at 2 h). */
    static final String PREFLIGHT_MAX_AGE = "600";

    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_CREDENTIALS = new HttpString("Access-Control-Allow-Credentials");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    private static final Set<HttpString> SAFE_METHODS = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS);

    private final Set<String> allowedOrigins;
    private final MessageLog log = new MessageLog(HISTORY);
    private final Sessions sessions = new Sessions(MAX_SESSIONS);
    private final Undertow undertow;

    private CorsApiServer(int port, Set<String> allowedOrigins) {
        for (String origin : allowedOrigins) {
            if (!Template.isOrigin(origin)) {
                throw new IllegalArgumentException("not an origin (scheme://host:port, no path, no *): " + origin);
            }
        }
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(routes())
                .build();
    }

    /**
     * Starts the API on 127.0.0.1; port 0 picks a free one. {@code allowedOrigins} are the origins whose
     * pages may use it, exactly as browsers send them in {@code Origin}: {@code http://localhost:8080}.
     */
    public static CorsApiServer start(int port, Set<String> allowedOrigins) {
        CorsApiServer server = new CorsApiServer(port, allowedOrigins);
        server.undertow.start();
        return server;
    }

    private HttpHandler routes() {
        HttpHandler api = routing()
                .post("/session", this::logIn)
                .get("/session", this::whoAmI)
                .get("/messages", this::readMessages)
                .post("/messages", this::postMessage)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
        return exchange -> crossOrigin(exchange, api);
    }

    /** Every request passes here first: the preflight, the CSRF guard, and the CORS headers of an answer. */
    private void crossOrigin(HttpServerExchange exchange, HttpHandler next) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        boolean allowed = origin != null && allowedOrigins.contains(origin);
        HeaderMap out = exchange.getResponseHeaders();
        // §2: every answer depends on Origin (with CORS headers or without), so a cache must not hand
        // the app's answer to another origin, or the other's to the app.
        out.add(Headers.VARY, "Origin");

        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            preflight(exchange, origin, allowed);
            return;
        }
        // §6: a request that changes something is acted on only when it comes from an allowed page.
        // Cookies go along whoever asks, and a "simple" request reaches us with no preflight: the
        // browser would only hide our answer, after we had already stored what the attacker sent.
        if (!SAFE_METHODS.contains(exchange.getRequestMethod()) && !allowed) {
            Answer.error(exchange, StatusCodes.FORBIDDEN, origin == null
                    ? "a request that changes something must carry the Origin of an allowed page"
                    : "cross-origin request refused: " + origin + " may not change anything here");
            return;
        }
        if (allowed) {
            // §2, §5, §7: the app may read this answer, send its cookie, and read our own header.
            out.put(ALLOW_ORIGIN, origin); // the origin itself: never "*" together with credentials
            out.put(ALLOW_CREDENTIALS, "true");
            out.put(EXPOSE_HEADERS, LAST_ID);
        }
        next.handleRequest(exchange);
    }

    /** §3: the browser asks "may this origin send this method with these headers?" before the real request. */
    private void preflight(HttpServerExchange exchange, String origin, boolean allowed) {
        if (!allowed) {
            Answer.error(exchange, StatusCodes.FORBIDDEN, origin == null
                    ? "a preflight carries an Origin header; this request has none"
                    : "cross-origin requests from " + origin + " are not allowed");
            return;
        }
        HeaderMap out = exchange.getResponseHeaders();
        out.put(ALLOW_ORIGIN, origin);
        out.put(ALLOW_CREDENTIALS, "true");
        out.put(ALLOW_METHODS, ALLOWED_METHODS);
        out.put(ALLOW_HEADERS, ALLOWED_HEADERS);
        out.put(MAX_AGE, PREFLIGHT_MAX_AGE);
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    private void logIn(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                Login login = Login.parse(body);
                // §5: HttpOnly: no script reads it; SameSite=Strict: a browser leaves it out of requests
                // that another site starts (the app on localhost:P1 is the same site as the API).
                Cookie cookie = new CookieImpl(SESSION_COOKIE, sessions.start(login.name()))
                        .setPath("/")
                        .setHttpOnly(true)
                        .setSameSiteMode("Strict");
                received.setResponseCookie(cookie);
                Answer.json(received, Map.of("name", login.name()));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    private void whoAmI(HttpServerExchange exchange) {
        Optional<String> name = sessionName(exchange);
        if (name.isEmpty()) {
            Answer.error(exchange, StatusCodes.UNAUTHORIZED, "not logged in: POST /session first");
            return;
        }
        Answer.json(exchange, Map.of("name", name.get()));
    }

    private void readMessages(HttpServerExchange exchange) {
        try {
            MessageLog.Batch batch = log.after(Requests.cursor(exchange, "since", 0));
            exchange.getResponseHeaders().put(new HttpString(LAST_ID), batch.lastId());
            Answer.json(exchange, batch.messages());
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
        }
    }

    private void postMessage(HttpServerExchange exchange) {
        Optional<String> name = sessionName(exchange);
        if (name.isEmpty()) {
            Answer.error(exchange, StatusCodes.UNAUTHORIZED, "log in before you post: POST /session");
            return;
        }
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                NewMessage sent = NewMessage.parse(body);
                // Who wrote it is the session's word, never the body's.
                Answer.json(received, log.append(new NewMessage(name.get(), sent.text())));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    private Optional<String> sessionName(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        return sessions.nameOf(cookie == null ? null : cookie.getValue());
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

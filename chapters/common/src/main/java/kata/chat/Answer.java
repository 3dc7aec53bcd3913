package kata.chat;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/** The few kinds of answer every chapter gives. Each one ends the exchange. */
public final class Answer {
    private Answer() {
    }

    /** 200 with a JSON body, never cached: a poll must reach the server, not a cache. */
    public static void json(HttpServerExchange exchange, Object body) {
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(Json.write(body));
    }

    /** An error with a plain-text reason that a developer reading the response can act on. */
    public static void error(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(status + " " + StatusCodes.getReason(status) + ": " + reason + "\n");
    }

    public static void error(HttpServerExchange exchange, BadRequest bad) {
        error(exchange, bad.status(), bad.getMessage());
    }

    /**
     * The stubs' answer where the learner's code goes: 501 and where to read. The test browsers stop
     * waiting the moment they see a 501, so a red run is quick.
     */
    public static void notImplemented(HttpServerExchange exchange, String lessonPointer) {
        error(exchange, StatusCodes.NOT_IMPLEMENTED, "not written yet. " + lessonPointer);
    }

    public static void notFound(HttpServerExchange exchange) {
        error(exchange, StatusCodes.NOT_FOUND, "no such route: " + exchange.getRequestPath());
    }

    public static void methodNotAllowed(HttpServerExchange exchange) {
        error(exchange, StatusCodes.METHOD_NOT_ALLOWED,
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath());
    }
}

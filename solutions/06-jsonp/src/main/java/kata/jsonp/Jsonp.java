package kata.jsonp;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import java.util.regex.Pattern;
import kata.chat.BadRequest;
import kata.chat.Json;

/**
 * A JSONP answer: a script that calls the page's function with the data, {@code /**}{@code /cb([...]);}.
 * The other origin's page runs whatever this returns, with the full power of that page; so the name it
 * asks to be called is checked strictly, and the data can never break out of the call.
 */
final class Jsonp {
    /** Long enough for any real callback path, short enough that no one hides a program in one. */
    static final int MAX_CALLBACK = 64;
    static final HttpString NOSNIFF_HEADER = HttpString.tryFromString("X-Content-Type-Options");

    /** A JavaScript identifier ({@code cb_12}, {@code $r1}) or a dotted path of them ({@code chat.receive}). */
    private static final Pattern CALLBACK =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private Jsonp() {
    }

    /**
     * The callback name from {@code ?cb=}. Anything but an identifier path of at most
     * {@link #MAX_CALLBACK} characters is refused: {@code alert(1)//} would be a script of the
     * caller's choosing, served from this origin.
     *
     * @throws BadRequest 400, with a reason that does not echo the name back
     */
    static String callback(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("cb");
        String name = values == null ? null : values.getFirst();
        if (name == null || name.isEmpty()) {
            throw new BadRequest(StatusCodes.BAD_REQUEST,
                    "name the function to call: ?cb=chat.receive (letters, digits, _ and $, dots between names)");
        }
        if (name.length() > MAX_CALLBACK) {
            throw new BadRequest(StatusCodes.BAD_REQUEST,
                    "the callback name is longer than " + MAX_CALLBACK + " characters");
        }
        if (!CALLBACK.matcher(name).matches()) {
            throw new BadRequest(StatusCodes.BAD_REQUEST,
                    "the callback must be a JavaScript name or a dotted path of names, like chat.receive or cb_12");
        }
        return name;
    }

    /**
     * The script: {@code /**}{@code /} first, so the answer never starts with bytes the caller chose
     * (Rosetta Flash), then the call, with JSON that cannot end the call, the script or the line.
     */
    static String script(String callback, Object data) {
        return "/**/" + callback + "(" + scriptSafe(Json.write(data)) + ");";
    }

    /** 200, the script, and headers that keep a browser from running it as anything but JavaScript. */
    static void answer(HttpServerExchange exchange, String callback, Object data) {
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/javascript; charset=utf-8");
        exchange.getResponseHeaders().put(NOSNIFF_HEADER, "nosniff");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(script(callback, data));
    }

    /**
     * JSON is not quite JavaScript, and JavaScript inside HTML is not quite JavaScript either. In JSON these
     * characters can only occur inside strings, where a {@code \}{@code uXXXX} escape means the same, so
     * escaping every one of them changes no value: {@code <} (no {@code </script>}, no {@code <!--}),
     * {@code >}, {@code &}, and U+2028/U+2029, line terminators in older JavaScript engines that end a
     * string literal there. {@link Json#write} escapes them already; this makes the answer safe whatever
     * the JSON writer's settings are.
     */
    static String scriptSafe(String json) {
        StringBuilder safe = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> safe.append(String.format("\\u%04x", (int) c));
                default -> safe.append(c);
            }
        }
        return safe.toString();
    }
}

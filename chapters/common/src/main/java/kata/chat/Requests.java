package kata.chat;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Reading what a client sent, without blocking an I/O thread and without trusting its size. */
public final class Requests {
    /** A cursor: digits only, few enough for a long. Compiled once: every poll asks for it (the long-poll profile). */
    private static final Pattern CURSOR = Pattern.compile("\\d{1,18}");

    /** No chat request needs more; a bigger body is refused with 413 before it is read whole. */
    public static final long MAX_BODY_BYTES = 16 * 1024;

    private Requests() {
    }

    /**
     * Reads a JSON body without blocking, then calls {@code then} with it (on an I/O thread). Answers
     * 415 when the body is not declared as JSON, 413 when it is too big, and 400 when it breaks off.
     */
    public static void receiveJson(HttpServerExchange exchange, BiConsumer<HttpServerExchange, String> then) {
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Answer.error(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "send the message as Content-Type: application/json");
            return;
        }
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        exchange.getRequestReceiver().receiveFullString(
                then::accept,
                (failed, e) -> {
                    if (e instanceof RequestTooBigException) {
                        Answer.error(failed, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
                                "the body is bigger than " + MAX_BODY_BYTES + " bytes");
                    } else {
                        Answer.error(failed, StatusCodes.BAD_REQUEST, "the body could not be read");
                    }
                },
                StandardCharsets.UTF_8);
    }

    /**
     * A query parameter that must be a whole number from 0 up, or absent (then {@code fallback}).
     *
     * @throws BadRequest 400 for anything else: "abc", "-1", "1e3", a number too large for a long
     */
    public static long cursor(HttpServerExchange exchange, String name, long fallback) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        String value = values.getFirst();
        if (!CURSOR.matcher(value).matches()) {
            throw new BadRequest(StatusCodes.BAD_REQUEST,
                    "\"" + name + "\" must be a whole number from 0 up, not \"" + value + "\"");
        }
        return Long.parseLong(value);
    }
}

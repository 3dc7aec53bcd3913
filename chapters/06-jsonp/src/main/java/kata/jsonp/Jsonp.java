package kata.jsonp;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * A JSONP answer: a script that calls the page's function with the data, {@code /**}{@code /cb([...]);}.
 * The other origin's page runs whatever this returns, with the full power of that page.
 *
 * <p>Your code goes here (README.md §2, §3 and §4). Run {@code ./kata hint 06-jsonp} if you are stuck.
 */
final class Jsonp {
    /** Long enough for any real callback path, short enough that no one hides a program in one. */
    static final int MAX_CALLBACK = 64;
    static final HttpString NOSNIFF_HEADER = HttpString.tryFromString("X-Content-Type-Options");

    private Jsonp() {
    }

    /**
     * The callback name from {@code ?cb=}: a JavaScript identifier ({@code cb_12}) or a dotted path of them
     * ({@code chat.receive}), at most {@link #MAX_CALLBACK} characters.
     *
     * @throws kata.chat.BadRequest 400 for anything else ({@code alert(1)//}, {@code <script>}, empty, too
     *                              long), with a reason that does not echo the name back
     */
    static String callback(HttpServerExchange exchange) {
        // TODO lesson §3: a strict check. Ask: what could ?cb=alert(1)// make this server say?
        throw new UnsupportedOperationException("TODO lesson §3: check the callback name");
    }

    /** The script: {@code /**}{@code /callback(<the data as JSON, safe inside a script>);}. */
    static String script(String callback, Object data) {
        // TODO lesson §2: why /**/ first? lesson §4: which characters of the JSON can end the string,
        //  the line or the <script> it runs in? (kata.chat.Json writes the JSON.)
        throw new UnsupportedOperationException("TODO lesson §2 and §4: the script that calls back");
    }
}

package kata.harness.cors;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.htmlunit.corejs.javascript.Context;
import org.htmlunit.corejs.javascript.Function;
import org.htmlunit.corejs.javascript.LambdaFunction;
import org.htmlunit.corejs.javascript.Scriptable;
import org.htmlunit.corejs.javascript.ScriptableObject;
import org.htmlunit.corejs.javascript.VarScope;
import org.htmlunit.javascript.host.Window;
import org.htmlunit.javascript.host.xml.XMLHttpRequest;

/**
 * {@code XMLHttpRequest.prototype.getResponseHeader} that answers {@code null} for a header the page may not
 * read. HtmlUnit's own reads the response's single values, which HtmlUnit's CORS code needs unfiltered; the
 * headers the page may read are the ones HtmlUnit's {@code getAllResponseHeaders()} lists from the
 * {@link CorsFilteredResponse}. So this one asks that list first, then lets HtmlUnit's answer through.
 */
final class ExposedHeaders {

    private ExposedHeaders() {
    }

    /** Replaces {@code getResponseHeader} on this window's {@code XMLHttpRequest.prototype}. */
    static void defineOn(Window window) {
        Scriptable prototype = window.getPrototype(XMLHttpRequest.class);
        if (!(prototype instanceof ScriptableObject proto)
                || !(ScriptableObject.getProperty(proto, "getResponseHeader") instanceof Function original)
                || !(ScriptableObject.getProperty(proto, "getAllResponseHeaders") instanceof Function all)) {
            throw new IllegalStateException("this HtmlUnit has no XMLHttpRequest.prototype.getResponseHeader");
        }
        VarScope scope = window.getParentScope();
        ScriptableObject.defineProperty(proto, "getResponseHeader", new LambdaFunction(scope, "getResponseHeader", 1,
                (cx, callScope, thisObj, args) -> {
                    Object value = original.call(cx, callScope, thisObj, args);
                    if (value == null || args.length == 0 || readable(cx, all, callScope, thisObj)
                            .contains(Context.toString(args[0]).toLowerCase(Locale.ROOT))) {
                        return value;
                    }
                    return null;
                }), ScriptableObject.DONTENUM);
    }

    private static Set<String> readable(Context cx, Function allResponseHeaders, VarScope scope, Object xhr) {
        Set<String> names = new HashSet<>();
        String all = Context.toString(allResponseHeaders.call(cx, scope, xhr, new Object[0]));
        for (String line : all.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon).strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}

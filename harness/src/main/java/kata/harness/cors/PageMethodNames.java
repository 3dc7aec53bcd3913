package kata.harness.cors;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.htmlunit.WebRequest;
import org.htmlunit.corejs.javascript.Context;
import org.htmlunit.corejs.javascript.Function;
import org.htmlunit.corejs.javascript.LambdaFunction;
import org.htmlunit.corejs.javascript.Scriptable;
import org.htmlunit.corejs.javascript.ScriptableObject;
import org.htmlunit.javascript.host.Window;
import org.htmlunit.javascript.host.xml.XMLHttpRequest;

/**
 * The method name a page gave {@code XMLHttpRequest.open}, as a browser keeps it. XHR normalizes only the six
 * standard methods (DELETE, GET, HEAD, OPTIONS, POST, PUT: {@code 'put'} becomes {@code PUT}); any other name is
 * kept as written, so {@code open('patch')} sends {@code patch}, and {@code Access-Control-Allow-Methods: PATCH}
 * does not allow it (methods are compared case-sensitively). HtmlUnit upper-cases every method (its
 * {@code HttpMethod} is an enum), so this notes the page's own name for the request, and the CORS protocol uses
 * it in the preflight and its method check.
 *
 * <p>The one use of reflection in the add-on: the request an {@code XMLHttpRequest} will send is its private
 * field {@code webRequest_} (HtmlUnit 5.7.0). Checked when the add-on is installed, so a newer HtmlUnit that
 * renamed it fails there, loudly, not in a page.
 */
final class PageMethodNames {

    private static final Set<String> NORMALIZED = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");
    private static final Field WEB_REQUEST = webRequestField();

    private final Map<WebRequest, String> names = Collections.synchronizedMap(new WeakHashMap<>());

    /** The method as the page wrote it, for a request of a page's XHR; else HtmlUnit's name for it. */
    String of(WebRequest request) {
        String name = names.get(request);
        return name != null ? name : request.getHttpMethod().name();
    }

    /** Wraps {@code XMLHttpRequest.prototype.open} of this window so that it notes the page's method name. */
    void defineOn(Window window) {
        Scriptable prototype = window.getPrototype(XMLHttpRequest.class);
        if (!(prototype instanceof ScriptableObject proto)
                || !(ScriptableObject.getProperty(proto, "open") instanceof Function original)) {
            throw new IllegalStateException("this HtmlUnit has no XMLHttpRequest.prototype.open");
        }
        ScriptableObject.defineProperty(proto, "open", new LambdaFunction(window.getParentScope(), "open", 2,
                (cx, scope, thisObj, args) -> {
                    Object result = original.call(cx, scope, thisObj, args);
                    if (args.length > 0 && thisObj instanceof XMLHttpRequest xhr) {
                        String method = Context.toString(args[0]);
                        if (!NORMALIZED.contains(method.toUpperCase(Locale.ROOT))
                                && !method.equals(method.toUpperCase(Locale.ROOT))) {
                            names.put(webRequestOf(xhr), method);
                        }
                    }
                    return result;
                }), ScriptableObject.DONTENUM);
    }

    private static WebRequest webRequestOf(XMLHttpRequest xhr) {
        try {
            return (WebRequest) WEB_REQUEST.get(xhr);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field webRequestField() {
        try {
            Field field = XMLHttpRequest.class.getDeclaredField("webRequest_");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException("HtmlUnit's XMLHttpRequest has no field webRequest_ any more:"
                    + " kata.harness.cors.PageMethodNames needs another way to the request", e);
        }
    }
}

package kata.harness;

import java.net.URL;
import java.util.Locale;
import java.util.Optional;

import org.htmlunit.Page;
import org.htmlunit.TopLevelWindow;
import org.htmlunit.WebWindow;
import org.htmlunit.corejs.javascript.Context;
import org.htmlunit.corejs.javascript.ScriptRuntime;
import org.htmlunit.javascript.host.Window;

/**
 * The origin of a page, serialized as a browser writes it in an {@code Origin} header:
 * {@code scheme://host} plus {@code :port} only when the port is not the scheme's default; no path,
 * no trailing slash. A page without a tuple origin ({@code file:}, {@code data:}, a top-level
 * {@code about:blank}) has an opaque origin, which browsers send as the word {@code null}.
 */
public final class WebOrigin {

    /** How browsers write an opaque origin. */
    public static final String OPAQUE = "null";

    private WebOrigin() {
    }

    /** The serialized origin of {@code uri}, for example an {@code EventSource}'s target. */
    public static String of(java.net.URI uri) {
        try {
            return of(uri.toURL());
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            return OPAQUE;
        }
    }

    /** The serialized origin of a document loaded from {@code url}. */
    public static String of(URL url) {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || host.isEmpty()) {
            return OPAQUE;
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == url.getDefaultPort();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /**
     * The origin of a page. An {@code about:blank} or {@code about:srcdoc} document has the origin of
     * the document that made it: its parent frame's, or else its opener's.
     */
    public static String of(Page page) {
        URL url = page.getUrl();
        if ("about".equals(url.getProtocol())) {
            return creatorOf(page.getEnclosingWindow()).map(WebOrigin::of).orElse(OPAQUE);
        }
        return of(url);
    }

    /**
     * The page whose script is running on this thread: the document of the global object
     * ({@code window}) of the outermost script call. Empty when no script of a page is running here,
     * e.g. when Java code, not a page, asks for a WebSocket.
     */
    public static Optional<Page> pageOfRunningScript() {
        Context cx = Context.getCurrentContext();
        if (cx == null || !ScriptRuntime.hasTopCall(cx)) {
            return Optional.empty();
        }
        if (ScriptRuntime.getTopCallScope(cx).getGlobalThis() instanceof Window window) {
            return Optional.ofNullable(window.getWebWindow().getEnclosedPage());
        }
        return Optional.empty();
    }

    private static Optional<Page> creatorOf(WebWindow window) {
        WebWindow parent = window.getParentWindow();
        if (parent != null && parent != window) {
            return Optional.ofNullable(parent.getEnclosedPage());
        }
        if (window instanceof TopLevelWindow topLevel && topLevel.getOpener() != null) {
            return Optional.ofNullable(topLevel.getOpener().getEnclosedPage());
        }
        return Optional.empty();
    }
}

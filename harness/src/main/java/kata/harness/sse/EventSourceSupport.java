package kata.harness.sse;

import org.htmlunit.WebClient;
import org.htmlunit.javascript.AbstractJavaScriptEngine;
import org.htmlunit.javascript.JavaScriptEngine;

/**
 * A real {@code EventSource} for HtmlUnit pages (server-sent events, WHATWG HTML "Server-sent events").
 *
 * <pre>{@code
 * WebClient webClient = new WebClient(BrowserVersion.CHROME);
 * EventSourceSupport.install(webClient);
 * HtmlPage page = webClient.getPage(url); // new EventSource('/events') now connects and streams
 * }</pre>
 */
public final class EventSourceSupport {

    private EventSourceSupport() {
    }

    /**
     * Gives every page {@code client} loads from now on a working {@code window.EventSource}, by
     * replacing its JavaScript engine with an {@link EventSourceJavaScriptEngine}. Call it right after
     * creating the WebClient, before loading a page. Calling it again does nothing.
     *
     * @throws IllegalStateException if the client already runs pages, or runs a JavaScript engine of
     *         another kind (extend {@link EventSourceJavaScriptEngine} instead to combine the two)
     */
    public static void install(WebClient client) {
        AbstractJavaScriptEngine<?> current = client.getJavaScriptEngine();
        if (current instanceof EventSourceJavaScriptEngine) {
            return;
        }
        if (current != null && current.getClass() != JavaScriptEngine.class) {
            throw new IllegalStateException("The WebClient already has a custom JavaScript engine ("
                    + current.getClass().getName() + "); make it extend EventSourceJavaScriptEngine instead.");
        }
        if (current instanceof JavaScriptEngine engine && engine.getJavaScriptExecutor() != null) {
            throw new IllegalStateException(
                    "Install EventSource support before the WebClient loads its first page.");
        }
        client.setJavaScriptEngine(new EventSourceJavaScriptEngine(client));
    }
}

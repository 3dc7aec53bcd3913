package kata.harness.cors;

import kata.harness.sse.EventSourceJavaScriptEngine;
import kata.harness.sse.EventSourceSupport;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;

/**
 * Makes an HtmlUnit browser's {@code XMLHttpRequest} and {@code fetch} keep the Fetch standard's CORS
 * protocol as Chromium keeps it, where HtmlUnit 5.7.0 keeps only part of it.
 *
 * <pre>{@code
 * WebClient webClient = new WebClient(BrowserVersion.CHROME);
 * BrowserLikeCors.install(webClient, (request, reason) -> {});
 * }</pre>
 *
 * Three parts: {@link CorsWebConnection} does the protocol on the wire (preflight, CORS check, preflight cache,
 * which headers a response exposes), {@link ExposedHeaders} makes {@code getResponseHeader} answer as the
 * exposure says, {@link PageMethodNames} keeps the method name the page wrote. The last two need a hook into every new window; a WebClient has one JavaScript engine, and the
 * harness's is the {@link EventSourceJavaScriptEngine}, so this installs it when it is not there yet.
 */
public final class BrowserLikeCors {

    /** Told of each request the CORS protocol stops, with the reason (what Chromium's console would say). */
    public interface Refusals {
        void refused(WebRequest request, String reason);
    }

    private BrowserLikeCors() {
    }

    /** Installs with a cache of its own, on the system clock. Call it before the client loads a page. */
    public static void install(WebClient client, Refusals refusals) {
        install(client, new PreflightCache(), refusals);
    }

    /** Installs with the given preflight cache (a test's, on a clock it controls). */
    public static void install(WebClient client, PreflightCache cache, Refusals refusals) {
        EventSourceSupport.install(client);
        PageMethodNames methodNames = new PageMethodNames();
        EventSourceJavaScriptEngine engine = (EventSourceJavaScriptEngine) client.getJavaScriptEngine();
        engine.alsoInitializeEachWindow(ExposedHeaders::defineOn);
        engine.alsoInitializeEachWindow(methodNames::defineOn);
        new CorsWebConnection(client, cache, methodNames, refusals::refused);
    }
}

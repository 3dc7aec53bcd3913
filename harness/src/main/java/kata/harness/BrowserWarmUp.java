package kata.harness;

import java.util.concurrent.atomic.AtomicBoolean;
import org.htmlunit.WebClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts HtmlUnit once per test run, in the background, as the first test class begins. The first browser of a
 * JVM costs one to three seconds on two cores (HtmlUnit's classes, its JavaScript engine, the fetch polyfill
 * compiled), the later ones a tenth of that; and a chapter's first test class is often one without a browser (the
 * wire, the API), whose waits leave a core idle. Nothing a test checks changes: the browsers it opens are its own.
 *
 * <p>Registered for every test class through {@code junit-platform.properties} (extension autodetection), and
 * active only where {@code kata.browserWarmUp} is set: a chapter's surefire run (chapters/pom.xml), not PIT's many
 * short-lived JVMs nor the launcher's.
 */
public final class BrowserWarmUp implements BeforeAllCallback {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** A page that runs a script, so that the JavaScript engine and the page's globals are made once. */
    private static final String PAGE = "data:text/html,<!doctype html><title>warm-up</title><script>var ready = 1;</script>";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (Boolean.getBoolean("kata.browserWarmUp") && STARTED.compareAndSet(false, true)) {
            Thread thread = new Thread(BrowserWarmUp::warmUp, "browser warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void warmUp() {
        try {
            Browser browser = new Browser("warm-up");
            try (WebClient client = browser.client()) {
                client.getPage(PAGE);
            }
        } catch (Exception | LinkageError ignored) {
            // Only a head start: a test's own browser meets whatever went wrong here, and says so.
        }
    }
}

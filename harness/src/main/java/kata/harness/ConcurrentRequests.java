package kata.harness;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.htmlunit.corejs.javascript.ContextAction;
import org.htmlunit.corejs.javascript.ContextFactory;
import org.htmlunit.javascript.background.BackgroundJavaScriptFactory;
import org.htmlunit.javascript.background.BasicJavaScriptJob;
import org.htmlunit.javascript.background.JavaScriptJob;

/**
 * Lets a page's requests run side by side, as in a real browser. Out of the box HtmlUnit performs an
 * asynchronous XHR (and so {@code fetch}, its polyfill) as a job on the page's one JavaScript thread:
 * while a long poll is held, nothing else on that page runs — no timer, no second request, not even
 * the message its person just sent. A real browser keeps several connections per host open at once.
 *
 * <p>With this installed, each asynchronous request's network wait runs on a thread of its own; its
 * events still reach the page's script under the page's lock, as HtmlUnit's own calls do. Install it
 * before the first browser starts, in every test class whose pages hold requests:
 *
 * <pre>
 * static { ConcurrentRequests.install(); }
 * </pre>
 *
 * It applies to every browser of the test run (HtmlUnit reads it from one static place).
 */
public final class ConcurrentRequests extends BackgroundJavaScriptFactory {
    private static final ExecutorService NETWORK = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "browser request");
        thread.setDaemon(true);
        return thread;
    });
    private static volatile boolean installed;

    private ConcurrentRequests() {
    }

    public static synchronized void install() {
        if (!installed) {
            BackgroundJavaScriptFactory.setFactory(new ConcurrentRequests());
            installed = true;
        }
    }

    @Override
    public JavaScriptJob createJavascriptXMLHttpRequestJob(ContextFactory factory, ContextAction<Object> action) {
        return new BasicJavaScriptJob() {
            @Override
            public void run() {
                NETWORK.execute(() -> {
                    try {
                        factory.call(action);
                    } catch (RuntimeException closed) {
                        // The test closed this browser while the request was under way: HtmlUnit has shut
                        // its connection pool or dropped the page's engine. For an open page, HtmlUnit turns
                        // a failed request into the request's own error event, as a browser does, and
                        // reports a script's error to the page's error listener: neither reaches here.
                    }
                });
            }
        };
    }
}

package kata.harness;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browsers of one test, each with its own cookies and its own page, all closed after the test.
 *
 * <pre>
 * &#64;RegisterExtension final Browsers browsers = new Browsers();
 * ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice"));
 * </pre>
 */
public final class Browsers implements AfterEachCallback {
    private final List<Browser> open = new ArrayList<>();

    /** A new browser, no page loaded yet. */
    public Browser start(String person) {
        Browser browser = new Browser(person);
        open.add(browser);
        return browser;
    }

    /** A new browser that has loaded {@code url}. */
    public Browser open(String person, String url) {
        return start(person).open(url);
    }

    /** A new browser on a chat page: the kata's running example. */
    public ChatPage chat(String person, String url) {
        return new ChatPage(open(person, url));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Browser browser : open) {
            browser.close();
        }
        open.clear();
    }
}

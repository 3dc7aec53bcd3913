package kata.harness;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a test JVM end as soon as its tests do. As a JVM exits it waits up to 300 ms for the threads that are in
 * native code to stop, and the JDK's {@code HttpClient} keeps one there for as long as the client lives: its
 * selector, waiting in epoll. The harness's clients live as long as the JVM, so every chapter run waited those
 * 300 ms after its last test, a tenth of a learner's red run. At exit this interrupts the selectors (an interrupted
 * selector closes itself and ends) and gives them a moment to end. It runs when the tests are over: nothing a test
 * sees changes.
 *
 * <p>Registered for every test class through {@code junit-platform.properties} (extension autodetection), and
 * active only where {@code kata.quickExit} is set: the surefire runs (pom.xml), whose JVM exists for the tests
 * alone, not the launcher's JVM, which may still need its own clients while it exits.
 */
public final class QuickExit implements BeforeAllCallback {
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();
    /** The name the JDK gives the selector thread of each HttpClient (the same in 17 and 25). */
    private static final String SELECTOR_NAME = "HttpClient-\\d+-SelectorManager";
    private static final long WAIT_PER_SELECTOR_MILLIS = 100;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (Boolean.getBoolean("kata.quickExit") && REGISTERED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(QuickExit::stopHttpClientSelectors, "quick exit"));
        }
    }

    private static void stopHttpClientSelectors() {
        List<Thread> selectors = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().matches(SELECTOR_NAME))
                .toList();
        selectors.forEach(Thread::interrupt);
        try {
            for (Thread selector : selectors) {
                selector.join(WAIT_PER_SELECTOR_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package kata.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;

/**
 * Keeps HtmlUnit, Undertow and XNIO quiet in tests: a passing run prints test results, a failing run
 * prints the learner's failure. Errors inside a learner's request handler still show (Undertow logs
 * them at ERROR), because that is the learner's failure too.
 */
public final class QuietLogs {
    private static volatile boolean installed;

    private QuietLogs() {
    }

    public static void install() {
        if (installed) {
            return;
        }
        synchronized (QuietLogs.class) {
            if (installed) {
                return;
            }
            // Undertow logs through JBoss Logging; without this it may pick another backend.
            System.setProperty("org.jboss.logging.provider", "jdk");
            try (InputStream config = QuietLogs.class.getResourceAsStream("quiet-logging.properties")) {
                LogManager.getLogManager().readConfiguration(config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            installed = true;
        }
    }
}

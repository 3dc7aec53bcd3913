package kata.harness.ws;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Only warnings and worse from the frameworks: Undertow and XNIO (through jboss-logging, set to JDK
 * logging by surefire) log INFO at every start and stop. HtmlUnit logs through commons-logging into
 * slf4j-nop, which is silent already; its level is set too, for a run with another binding.
 */
final class QuietLogs {

    /** Held, because java.util.logging keeps loggers weakly and would forget the levels. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("org.htmlunit"), Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"));

    private QuietLogs() {
    }

    static void install() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}

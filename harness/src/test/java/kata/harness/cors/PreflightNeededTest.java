package kata.harness.cors;

import java.util.List;
import kata.harness.Browsers;
import kata.harness.Served;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fetch §2.2.1–2.2.2 CORS-safelisted methods and request-headers: which requests are sent without a preflight. The same cases run in real Chromium (realbrowser). */
class PreflightNeededTest {
    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    static List<CorsCases.Case> cases() {
        return CorsCases.of(CorsCases.SAFELISTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHarnessBrowserKeepsTheRule(CorsCases.Case c) {
        CorsCaseRun.check(browsers, server.server(), c);
    }
}

package kata.harness.cors;

import java.util.List;
import kata.harness.Browsers;
import kata.harness.Served;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fetch §4.8 "CORS-preflight fetch": what a preflight carries and what its answer must say. The same cases run in real Chromium (realbrowser). */
class PreflightFetchTest {
    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    static List<CorsCases.Case> cases() {
        return CorsCases.of(CorsCases.PREFLIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHarnessBrowserKeepsTheRule(CorsCases.Case c) {
        CorsCaseRun.check(browsers, server.server(), c);
    }
}

package kata.harness.cors;

import java.util.List;
import kata.harness.Browsers;
import kata.harness.Served;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fetch §4.9 "CORS check": who may read a cross-origin response. The same cases run in real Chromium (realbrowser). */
class CorsCheckTest {
    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    static List<CorsCases.Case> cases() {
        return CorsCases.of(CorsCases.CORS_CHECK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theHarnessBrowserKeepsTheRule(CorsCases.Case c) {
        CorsCaseRun.check(browsers, server.server(), c);
    }
}

package kata.realbrowser;

import java.util.ArrayList;
import java.util.List;
import kata.harness.Served;
import kata.harness.cors.CorsCaseServer;
import kata.harness.cors.CorsCases;
import kata.harness.cors.PreflightHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The harness's CORS cases (kata.harness.cors.CorsCases: the CORS check, when a preflight is sent, the preflight,
 * exposed headers, the preflight cache) in real Chromium: the same page, the same table, the same expected
 * outcomes the harness's browser is held to. A case where the two differ is a bug in the harness until shown
 * otherwise.
 */
class CorsRulesInChromiumTest {
    @RegisterExtension
    final Served<CorsCaseServer> server = Served.by(() -> CorsCaseServer.start(0), CorsCaseServer::port);

    @Test
    void chromiumKeepsEveryCorsRuleTheHarnessBrowserIsHeldTo() {
        try (Chromium ann = new Chromium("Ann")) {
            ann.open(server.server().pageUrl(List.of()));
            ann.waitUntil("every case has run", () -> ann.texts("#done").equals(List.of("done")),
                    () -> ann.texts("#results li").size() + " of " + CorsCases.all().size() + " cases");
            List<String> outcomes = ann.texts("#results li");
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < CorsCases.all().size(); i++) {
                CorsCases.Case c = CorsCases.all().get(i);
                String expected = "page: " + c.page() + " — server: " + c.wire();
                String seen = "page: " + outcomes.get(i) + " — server: " + server.server().wire(c.id());
                if (!expected.equals(seen)) {
                    differences.add(c.rule() + " / " + c.id() + " (" + c.fact() + ")\n    expected " + expected
                            + "\n    Chromium " + seen);
                }
            }
            if (!differences.isEmpty()) {
                throw new AssertionError(differences.size() + " of " + CorsCases.all().size()
                        + " CORS cases differ in Chromium:\n  " + String.join("\n  ", differences));
            }
            // What the preflight itself carries, as kata.harness.cors.PreflightRequestTest holds the harness to.
            PreflightHeaders.assertSentAsChromiumSendsIt(server.server().requestHeaders("put").get(0),
                    server.server().pageOrigin());
        }
    }
}

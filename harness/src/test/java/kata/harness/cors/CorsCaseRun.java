package kata.harness.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;

/** Runs one case of {@link CorsCases} in the harness's browser and compares both sides with the table. */
final class CorsCaseRun {

    private CorsCaseRun() {
    }

    static void check(Browsers browsers, CorsCaseServer server, CorsCases.Case c) {
        Browser browser = browsers.open("Ann", server.pageUrl(List.of(c.id())));
        browser.waitUntil("the case has run", () -> browser.texts("#done").equals(List.of("done")),
                () -> browser.texts("#results li").toString());
        String outcome = browser.texts("#results li").get(0);
        assertEquals("page: " + c.page() + " — server: " + c.wire(), "page: " + outcome + " — server: " + server.wire(c.id()),
                c.fact() + " (case " + c.id() + "; the page made " + browser.recentExchanges(6) + ")");
    }
}

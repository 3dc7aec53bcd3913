package kata.realbrowser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kata.harness.Served;
import kata.jsonp.ChatApi;
import kata.jsonp.ChatSite;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 06's story in real Chromium: Bob's page on the site's origin receives Alice's messages from the
 * API's origin by JSONP; text that tries to break out of the script runs nothing; tags and callbacks do not
 * pile up.
 */
class JsonpInChromiumTest {
    @RegisterExtension
    @Order(1)
    final Served<ChatApi> api = Served.by(() -> ChatApi.start(0), ChatApi::port).reachedAs("127.0.0.1");
    @RegisterExtension
    @Order(2)
    final Served<ChatSite> site = Served.by(() -> ChatSite.start(0, api.server(), api.origin()), ChatSite::port);

    @Test
    void bobReceivesAlicesMessagesByJsonpAndNothingBreaksOut() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(site.url("/?name=Alice&interval=200"));
            bob.open(site.url("/?name=Bob&interval=200"));
            String attack = "</script><script>window.pwned=1</script>\u2028 <img src=x onerror=\"window.pwned=2\">";

            alice.send("Hello Bob");
            bob.waitForMessages("Alice: Hello Bob");
            alice.send(attack);

            bob.waitForMessages("Alice: Hello Bob", "Alice: " + attack);
            assertEquals("undefined", bob.eval("return typeof window.pwned;"), "Alice's text ran code in Bob's page");
            bob.waitUntil("JSONP script tags do not pile up",
                    () -> ((Number) bob.eval("return document.querySelectorAll('script[src*=\"/jsonp\"]').length;")).intValue() <= 1,
                    () -> bob.eval("return document.querySelectorAll('script[src*=\"/jsonp\"]').length;") + " tags");
        }
    }
}

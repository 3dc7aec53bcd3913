package kata.realbrowser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import kata.cors.AppServer;
import kata.cors.CorsApiServer;
import kata.cors.EvilServer;
import kata.harness.Served;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 05's story in real Chromium: the app on one origin chats through the API on another (login with
 * a cookie, preflighted JSON posts); the evil site, visited in the same browser, is blocked by Chromium's
 * own CORS rules from reading anything.
 */
class CorsInChromiumTest {
    @RegisterExtension
    @Order(1)
    final Served<AppServer> app = Served.by(() -> AppServer.start(0, () -> this.api.origin()), AppServer::port);
    @RegisterExtension
    @Order(2)
    final Served<CorsApiServer> api = Served.by(() -> CorsApiServer.start(0, Set.of(this.app.origin())),
            CorsApiServer::port);
    @RegisterExtension
    @Order(3)
    final Served<EvilServer> evil = Served.by(() -> EvilServer.start(0, () -> this.api.origin()), EvilServer::port)
            .reachedAs("127.0.0.1");

    @Test
    void theAppChatsAcrossOriginsAndTheEvilSiteReadsNothing() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice&interval=200"));
            bob.open(app.url("/?name=Bob&interval=200"));
            alice.waitUntil("the app shows the name the API read back with the cookie",
                    () -> "Alice".equals(alice.texts("#me").get(0)), () -> alice.texts("#me") + " " + alice.texts("#status"));

            alice.send("Hello Bob, from another origin");
            bob.waitForMessages("Alice: Hello Bob, from another origin");

            alice.open(evil.url("/read")); // the same browser: Alice's cookie for the API goes along
            alice.waitUntil("the evil page's reads end", () -> !alice.texts("#messages").get(0).equals("trying…")
                    && !alice.texts("#session").get(0).equals("trying…"), () -> alice.texts("#messages").toString());
            assertEquals("blocked", alice.texts("#messages").get(0), "Chromium let the evil page read the chat");
            assertEquals("blocked", alice.texts("#session").get(0), "Chromium let the evil page read Alice's session");
        }
    }
}

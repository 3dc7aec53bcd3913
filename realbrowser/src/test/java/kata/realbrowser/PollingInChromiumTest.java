package kata.realbrowser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kata.harness.Served;
import kata.polling.PollingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chapter 01's story in real Chromium: Alice and Bob chat by polling; HTML in a message stays text. */
class PollingInChromiumTest {
    @RegisterExtension
    final Served<PollingServer> app = Served.by(() -> PollingServer.start(0), PollingServer::port);

    @Test
    void aliceAndBobChatByPolling() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice&interval=200"));
            bob.open(app.url("/?name=Bob&interval=200"));

            alice.send("Hello Bob");
            bob.waitForMessages("Alice: Hello Bob");
            bob.send("<img src=x onerror=\"window.pwned=1\">");

            alice.waitForMessages("Alice: Hello Bob", "Bob: <img src=x onerror=\"window.pwned=1\">");
            assertEquals("undefined", alice.eval("return typeof window.pwned;"), "Bob's text ran code in Alice's page");
        }
    }
}

package kata.realbrowser;

import java.time.Duration;
import kata.harness.Served;
import kata.sse.SseServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 03's story in real Chromium, with the browser's own EventSource: Bob's stream is cut
 * mid-conversation, Chromium reconnects by itself after the server's retry delay, sends Last-Event-ID, and Bob
 * ends with every message exactly once, in order.
 */
class SseInChromiumTest {
    @RegisterExtension
    final Served<SseServer> app = Served.by(() -> SseServer.start(0, SseServer.Options.defaults()
            .withRetry(Duration.ofMillis(300))), SseServer::port);

    @Test
    void chromiumsEventSourceResumesWithLastEventIdAfterTheStreamIsCut() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice"));
            bob.open(app.url("/?name=Bob"));
            bob.waitUntil("both streams are open", () -> app.server().subscriberCount() == 2,
                    () -> app.server().subscriberCount() + " subscribers");

            alice.send("one");
            bob.waitForMessages("Alice: one");
            app.server().disconnectAll(); // as if the network broke
            alice.send("two"); // sent while Bob's browser is reconnecting
            alice.send("three");

            // Exactly these, once each: a reconnection without Last-Event-ID would get the whole history again
            // and show "one" twice, so this also proves Chromium sent it.
            bob.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        }
    }
}

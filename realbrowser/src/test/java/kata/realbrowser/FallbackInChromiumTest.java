package kata.realbrowser;

import java.time.Duration;
import kata.capstone.FallbackServer;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 07's story in real Chromium: the fallback client picks WebSocket; when a "proxy" refuses the
 * upgrade it falls back to Server-Sent Events, and when event streams are buffered too, to long polling —
 * with one cursor, so the chat goes on and every message shows exactly once.
 */
class FallbackInChromiumTest {
    @RegisterExtension
    final Served<FallbackServer> app = Served.by(() -> FallbackServer.start(0,
            FallbackServer.Options.defaults().withHold(Duration.ofSeconds(5))), FallbackServer::port);

    private static void waitForTransport(Chromium page, String transport) {
        page.waitUntil("its page receives by " + transport, () -> page.texts("#transport").equals(java.util.List.of(transport)),
                () -> "#transport says " + page.texts("#transport"));
    }

    @Test
    void theChatWalksDownTheLadderAndLosesNothing() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice&patience=1000&pause=200"));
            bob.open(app.url("/?name=Bob&patience=1000&pause=200"));
            waitForTransport(alice, "websocket");
            waitForTransport(bob, "websocket");
            alice.send("one");
            bob.waitForMessages("Alice: one");

            app.server().refuseWebSockets(); // a proxy that does not pass upgrades
            app.server().cutConnections();
            waitForTransport(bob, "eventsource");
            alice.send("two");
            bob.waitForMessages("Alice: one", "Alice: two");

            app.server().bufferEventStreams(); // a proxy that buffers streams: they open and deliver nothing
            app.server().cutConnections();
            waitForTransport(bob, "longpoll");
            alice.send("three");

            bob.waitForMessages("Alice: one", "Alice: two", "Alice: three");
            alice.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        }
    }
}

package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A socket whose reader cannot keep up must not cost the server unbounded memory, nor slow the others. */
class BackpressureTest {
    /** More than the most messages a test sends (40,000): a bound that counts frames instead of bytes never fills. */
    static final int QUEUE_BYTES = 64 * 1024;
    /** A replay of 2,000 messages of 480 characters: about 1 MB, sixteen times the bound. */
    static final int HISTORY = 2000;

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(
            () -> WebSocketServer.start(0, Settings.defaults().queueBytes(QUEUE_BYTES).history(HISTORY)), WebSocketServer::port);

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aPeerThatCannotKeepUpIsClosedWith1008AndTheOthersGoOn() {
        RawSocket slow = RawSocket.open(app.port(), "/ws?name=Slow", app.origin(), 4096); // never reads, for now
        try (slow; RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            Eventually.until("the server should count the slow socket and Alice's", () -> app.server().openSockets() == 2,
                    () -> app.server().openSockets() + " open sockets");
            AtomicInteger aliceHeard = new AtomicInteger();
            CompletableFuture<RawSocket.Ending> aliceHears = CompletableFuture.supplyAsync(() -> alice.readUntilClose(true, aliceHeard));
            String text = "x".repeat(480);
            int sent = 0;
            long end = System.nanoTime() + Eventually.DEADLINE.toNanos();
            while (app.server().openSockets() == 2 && sent < 40_000 && System.nanoTime() - end < 0) {
                for (int i = 0; i < 100; i++, sent++) {
                    alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                }
            }
            assertEquals(1, app.server().openSockets(), "After " + sent + " messages of " + text.length() + " characters"
                    + " (" + sent * text.length() / 1024 + " KiB) the slow socket should have been dropped: once its kernel"
                    + " buffers are full, what waits for it grows by every message, and the bound is " + QUEUE_BYTES
                    + " bytes — bytes, not frames");

            RawSocket.Ending ending = slow.readUntilClose(true);
            assertEquals(1008, ending.code(), "A socket that cannot keep up should be closed with 1008 (Policy Violation)"
                    + " — but it ended with " + ending.describe());
            assertTrue(ending.texts().size() < sent, "The slow socket should not have received everything");

            int all = sent;
            Eventually.until("Alice reads as fast as she writes: every one of her " + sent + " messages should come back"
                    + " to her, the slow socket's bound is not hers", () -> aliceHeard.get() == all,
                    () -> aliceHeard.get() + " came back" + (aliceHears.isDone() ? ", then her socket " + aliceHears.join().describe() : ""));
            alice.sendClose(1000);
            RawSocket.Ending aliceEnding = aliceHears.join();
            assertEquals(1000, aliceEnding.code(), "Alice closed her socket: the server should answer her close frame"
                    + " with one of its own — her socket " + aliceEnding.describe());
            assertEquals(sent, aliceEnding.texts().size(), "Alice should have had every one of her " + sent
                    + " messages once, and nothing after — her socket " + aliceEnding.describe());
        }
    }

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aReconnectingClientCatchesUpOnMoreHistoryThanItsBoundHolds() {
        String text = "x".repeat(480);
        try (RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            for (int i = 0; i < HISTORY; i++) {
                alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                alice.readText();
            }
            // Bob comes back after all of that: his replay, about 1 MB, is far more than his bound of 64 KiB, and
            // while it is still on its way, Alice says one more thing.
            try (RawSocket bob = RawSocket.open(app.port(), "/ws?name=Bob&since=0", app.origin())) {
                Eventually.until("the server should count Alice's socket and Bob's", () -> app.server().openSockets() == 2,
                        () -> app.server().openSockets() + " open sockets");
                alice.sendText("{\"type\":\"message\",\"text\":\"welcome back\"}");
                alice.readText();
                for (int read = 0; read <= HISTORY; read++) {
                    try {
                        bob.readText();
                    } catch (AssertionError stopped) {
                        fail("Catching up is not falling behind: the replay of " + HISTORY + " messages must not count"
                                + " against the bound of " + QUEUE_BYTES + " bytes — but after " + read + " messages Bob's"
                                + " socket said: " + stopped.getMessage());
                    }
                }
            }
        }
    }

}

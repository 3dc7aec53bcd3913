package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A socket whose reader cannot keep up must not cost the server unbounded memory, nor slow the others. */
class BackpressureTest {
    static final int QUEUE = 16;

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(
            () -> WebSocketServer.start(0, Settings.defaults().queueBound(QUEUE)), WebSocketServer::port);

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aPeerThatCannotKeepUpIsClosedWith1008AndTheOthersGoOn() {
        RawSocket slow = RawSocket.open(app.port(), "/ws?name=Slow", app.origin(), 4096); // never reads, for now
        try (slow; RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            Eventually.until("the server should count the slow socket and Alice's", () -> app.server().openSockets() == 2,
                    () -> app.server().openSockets() + " open sockets");
            CompletableFuture<RawSocket.Ending> aliceHears = CompletableFuture.supplyAsync(() -> alice.readUntilClose(true));
            String text = "x".repeat(480);
            int sent = 0;
            long end = System.nanoTime() + Eventually.DEADLINE.toNanos();
            while (app.server().openSockets() == 2 && sent < 40_000 && System.nanoTime() - end < 0) {
                for (int i = 0; i < 100; i++, sent++) {
                    alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                }
            }
            assertEquals(1, app.server().openSockets(), "After " + sent + " messages the slow socket's queue of "
                    + QUEUE + " frames should have overflowed and the server should have dropped it");

            RawSocket.Ending ending = slow.readUntilClose(true);
            assertEquals(1008, ending.code(), "A socket that cannot keep up should be closed with 1008 (Policy Violation)"
                    + " — but it ended with " + ending.describe());
            assertTrue(ending.texts().size() < sent, "The slow socket should not have received everything");

            alice.sendClose(1000);
            assertEquals(sent, aliceHears.join().texts().size(),
                    "Alice reads as fast as she writes: she should have had every one of her " + sent + " messages back");
        }
    }

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aReconnectingClientCatchesUpOnMoreHistoryThanItsQueueHolds() {
        int history = 1000;
        String text = "x".repeat(480);
        try (RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            for (int i = 0; i < history; i++) {
                alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                alice.readText();
            }
            // Bob comes back after all of that: his replay is far more than his queue's 16 frames, and while
            // it is still on its way, Alice says one more thing.
            try (RawSocket bob = RawSocket.open(app.port(), "/ws?name=Bob&since=0", app.origin(), 4096)) {
                Eventually.until("the server should count Alice's socket and Bob's", () -> app.server().openSockets() == 2,
                        () -> app.server().openSockets() + " open sockets");
                alice.sendText("{\"type\":\"message\",\"text\":\"welcome back\"}");
                alice.readText();
                for (int read = 0; read <= history; read++) {
                    try {
                        bob.readText();
                    } catch (AssertionError stopped) {
                        fail("Catching up is not falling behind: the replay of " + history + " messages must not count"
                                + " against the queue bound of " + QUEUE + " frames — but after " + read + " messages Bob's"
                                + " socket said: " + stopped.getMessage());
                    }
                }
            }
        }
    }

}

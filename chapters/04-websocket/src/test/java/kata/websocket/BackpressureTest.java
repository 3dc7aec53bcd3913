package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
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
    /**
     * What the kernel may hold for one socket: small, so that the slow socket's kernel buffers are full after a few
     * hundred frames, and what waits for it in the server grows from then on (Linux would grow them to megabytes
     * first). Not much smaller: on the loopback, a buffer that holds less than two of its 64 KiB segments waits for a
     * delayed acknowledgement (40 ms) every time it is full, and a replay of 1 MB then takes a second.
     */
    static final int KERNEL_BUFFER = 128 * 1024;

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(
            () -> WebSocketServer.start(0, Settings.defaults().queueBytes(QUEUE_BYTES).history(HISTORY)
                    .sendBufferBytes(KERNEL_BUFFER)), WebSocketServer::port);

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aPeerThatCannotKeepUpIsClosedWith1008AndTheOthersGoOn() {
        RawSocket slow = RawSocket.open(app.port(), "/ws?name=Slow", app.origin(), 4096); // never reads, for now
        try (slow; RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            Eventually.until("the server should count the slow socket and Alice's", () -> app.server().openSockets() == 2,
                    () -> app.server().openSockets() + " open sockets");
            // Alice reads as fast as she writes: a hundred messages, then the hundred that come back to her. So the
            // server has relayed each hundred to the slow socket too before she writes more, and the slow socket is
            // dropped within a hundred messages of passing its bound, not after thousands more.
            String text = "x".repeat(480);
            int sent = 0;
            long end = System.nanoTime() + Eventually.DEADLINE.toNanos();
            while (app.server().openSockets() == 2 && sent < 40_000 && System.nanoTime() - end < 0) {
                for (int i = 0; i < 100; i++) {
                    alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                }
                for (int i = 0; i < 100; i++, sent++) {
                    try {
                        alice.readText();
                    } catch (AssertionError stopped) {
                        fail("Alice reads as fast as she writes: every one of her messages should come back to her,"
                                + " the slow socket's bound is not hers — but after " + sent + " her socket said: "
                                + stopped.getMessage());
                    }
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

            alice.sendClose(1000);
            RawSocket.Ending aliceEnding = alice.readUntilClose(true);
            assertEquals(1000, aliceEnding.code(), "Alice closed her socket: the server should answer her close frame"
                    + " with one of its own — her socket " + aliceEnding.describe());
            assertEquals(List.of(), aliceEnding.texts(), "Alice should have had every one of her " + sent
                    + " messages once, and nothing after — her socket " + aliceEnding.describe());
        }
    }

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void aReconnectingClientCatchesUpOnMoreHistoryThanItsBoundHolds() {
        String text = "x".repeat(480);
        try (RawSocket alice = RawSocket.open(app.port(), "/ws?name=Alice", app.origin())) {
            for (int i = 0; i < HISTORY; i += 100) { // a hundred at a time, each hundred read back before the next
                for (int j = 0; j < 100; j++) {
                    alice.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}");
                }
                for (int j = 0; j < 100; j++) {
                    alice.readText();
                }
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

package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keep-alive to the nanosecond, on a clock the test moves by hand: a ping exactly when a socket has been
 * silent for the ping interval, a close exactly when a ping has gone unanswered for the pong timeout, and not a
 * nanosecond earlier. The server ticks on its own; a second socket that falls due at the same instant shows
 * that a tick has looked at the first (the server walks its sockets in the order they joined).
 */
class KeepAliveTest {
    static final Duration PING_AFTER = Duration.ofMillis(100);
    static final Duration PONG_WITHIN = Duration.ofMillis(300);
    static final Duration NANO = Duration.ofNanos(1);

    final ManualClock clock = new ManualClock();
    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> WebSocketServer.start(0, Settings.defaults()
            .keepAlive(PING_AFTER, PONG_WITHIN).clock(clock)), WebSocketServer::port);

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void aSocketIsPingedExactlyWhenItHasBeenSilentForThePingIntervalNotBefore() {
        try (RawSocket early = open("Early", 1); RawSocket talker = open("Talker", 2); RawSocket late = open("Late", 3)) {
            clock.advance(NANO);
            early.send(RawSocket.PING, "here".getBytes(StandardCharsets.UTF_8)); // a ping is hearing from Early too
            assertEquals(RawSocket.PONG, early.nextFrame().opcode(), "A ping from the client is answered with a pong");
            talker.sendText("{\"type\":\"message\",\"text\":\"here\"}"); // and a message from Talker
            for (RawSocket socket : java.util.List.of(early, talker, late)) {
                assertEquals(RawSocket.TEXT, socket.nextFrame().opcode(), "Every socket gets Talker's message");
            }

            clock.advance(PING_AFTER.minus(NANO)); // Late: silent for exactly the interval; Early: a nanosecond less
            RawSocket.Frame ping = late.nextFrame();
            assertEquals(RawSocket.PING, ping.opcode(), "Late has been silent for exactly " + PING_AFTER.toMillis()
                    + " ms (the ping interval) on the server's clock: it should be pinged — but it got " + ping.describe());
            late.sendText("{\"type\":\"message\",\"text\":\"after the ping\"}");
            RawSocket.Frame next = early.nextFrame();
            assertEquals(RawSocket.TEXT, next.opcode(), "Early was heard from (its ping) a nanosecond after Late: it is"
                    + " not due yet, so the next frame it gets should be Late's message, not a ping — but it got "
                    + next.describe());
            next = talker.nextFrame();
            assertEquals(RawSocket.TEXT, next.opcode(), "Talker was heard from (its message) a nanosecond after Late:"
                    + " it is not due yet, so the next frame it gets should be Late's message, not a ping — but it got "
                    + next.describe());
        }
    }

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void anUnansweredPingClosesTheSocketExactlyAtThePongTimeoutNotBefore() {
        try (RawSocket ghost = open("Ghost", 1); RawSocket witness = open("Witness", 2)) {
            clock.advance(PING_AFTER); // both silent for the interval: both pinged; only the witness answers
            RawSocket.Frame ping = ghost.nextFrame();
            assertEquals(RawSocket.PING, ping.opcode(), "Ghost has been silent for the ping interval: it should be"
                    + " pinged — but it got " + ping.describe());
            answerPing(witness);

            clock.advance(PONG_WITHIN.minus(NANO)); // the witness falls due again, the ghost's deadline not yet
            answerPing(witness);
            assertEquals(2, app.server().openSockets(), "The ghost's ping has gone unanswered for a nanosecond less than"
                    + " the pong timeout (" + PONG_WITHIN.toMillis() + " ms): it is not closed yet");

            clock.advance(NANO);
            RawSocket.Ending ending = ghost.readUntilClose(false);
            assertEquals(1001, ending.code(), "The ghost's ping has gone unanswered for exactly the pong timeout: it"
                    + " should be closed with 1001 (Going Away) — but it ended with " + ending.describe());
        }
    }

    private RawSocket open(String name, int sockets) {
        RawSocket socket = RawSocket.open(app.port(), "/ws?name=" + name, app.origin());
        Eventually.until("the server should count " + sockets + " socket(s)", () -> app.server().openSockets() == sockets,
                () -> app.server().openSockets() + " open sockets");
        return socket;
    }

    /** Waits for the server's ping and answers it; a ping of our own then shows the pong has been read. */
    private static void answerPing(RawSocket socket) {
        RawSocket.Frame ping = socket.nextFrame();
        assertEquals(RawSocket.PING, ping.opcode(), "The witness has been silent for the ping interval: it should be"
                + " pinged — but it got " + ping.describe());
        socket.send(RawSocket.PONG, ping.payload());
        socket.send(RawSocket.PING, "read it?".getBytes(StandardCharsets.UTF_8));
        assertEquals(RawSocket.PONG, socket.nextFrame().opcode(), "A ping from the client is answered with a pong");
    }
}

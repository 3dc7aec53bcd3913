package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sockets that go quiet, and a server that shuts down. */
class LifecycleTest {
    static final Duration PING_AFTER = Duration.ofMillis(100);
    /**
     * On the real clock, Alice's browser must answer every ping within this: generous, so that a busy machine
     * is not read as a dead socket (KeepAliveTest checks the timeout itself to the nanosecond, on a test clock).
     */
    static final Duration PONG_WITHIN = Duration.ofSeconds(1);
    /** The ghost does not answer the close frame either: its connection is cut this long after it. */
    static final Duration GRACE = Duration.ofMillis(100);

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> WebSocketServer.start(0, Settings.defaults()
            .keepAlive(PING_AFTER, PONG_WITHIN).closeGrace(GRACE)), WebSocketServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void aSocketThatStopsAnsweringPingsIsClosedWhileOneThatAnswersStays() {
        ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice")); // her browser answers pings
        PageSocket.waitUntilOpen(alice);
        try (RawSocket ghost = RawSocket.open(app.port(), "/ws?name=Ghost", app.origin())) {
            RawSocket.Ending ending = ghost.readUntilClose(false); // hears the pings, never answers

            assertTrue(ending.pings() >= 1, "The server should ping a socket that has been quiet for "
                    + PING_AFTER.toMillis() + " ms — but the ghost got no ping before " + ending.describe());
            assertEquals(1001, ending.code(), "A socket that does not answer a ping within " + PONG_WITHIN.toMillis()
                    + " ms should be closed with 1001 (Going Away) — but it ended with " + ending.describe());
            ghost.readUntilEnd("The ghost does not answer the close frame either: the server should then cut its"
                    + " connection, after a grace period (" + GRACE.toMillis() + " ms here)");
        }
        Eventually.until("the server should count only Alice's socket", () -> app.server().openSockets() == 1,
                () -> app.server().openSockets() + " open sockets");
        alice.send("still here");
        alice.waitForMessages("Alice: still here");
        assertEquals("open", PageSocket.state(alice.browser()),
                "Alice's browser answers every ping: her socket should stay open");
        assertEquals(null, alice.browser().eval("document.body.getAttribute('data-close-code')"),
                "Alice's browser answers every ping (a pong is hearing from her): her socket should never have been"
                        + " closed — but " + PageSocket.describe(alice.browser()));
    }

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void aPingFromTheClientIsAnsweredWithAPong() {
        try (RawSocket carol = RawSocket.open(app.port(), "/ws?name=Carol", app.origin())) {
            carol.send(RawSocket.PING, "still there?".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RawSocket.Frame frame = carol.readFrame();
            while (frame.opcode() == RawSocket.PING) { // the server's own keep-alive may come first
                carol.send(RawSocket.PONG, frame.payload());
                frame = carol.readFrame();
            }
            assertEquals("pong still there?", frame.describe() + " " + frame.text(), "A ping is answered with a pong"
                    + " carrying the same bytes (RFC 6455 §5.5.2) — but the server answered " + frame.describe());
        }
    }

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void shutdownClosesEverySocketWith1001() {
        ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice&retry=5000")); // no reconnect soon
        PageSocket.waitUntilOpen(alice);
        int port = app.port();
        try (RawSocket bob = RawSocket.open(port, "/ws?name=Bob", app.origin())) {
            app.server().close();

            RawSocket.Ending ending = bob.readUntilClose(true);
            assertEquals(1001, ending.code(), "A server that shuts down should say so: close 1001 (Going Away) — but"
                    + " Bob's socket ended with " + ending.describe());
        }
        try (java.net.Socket late = new java.net.Socket("127.0.0.1", port)) {
            fail("After close() the server should have stopped listening — but a connection to its port was accepted");
        } catch (java.io.IOException refused) {
            // stopped: nothing listens on the port any more
        }
        alice.browser().waitUntil("Alice's page should see its socket closed with 1001",
                () -> "1001".equals(alice.browser().eval("document.body.getAttribute('data-close-code')")),
                () -> PageSocket.describe(alice.browser()));
    }

    @Test
    @Lesson("§9 Keep-alive, shutdown and the count of open sockets")
    void closeStopsEveryThreadTheServerStartedTheKeepAlivesToo() throws InterruptedException {
        // The server is started from a thread of a group of its own: the threads it starts join that group, and
        // the threads of tests running beside this one (their browsers') do not.
        ThreadGroup serversThreads = new ThreadGroup("started by the server");
        AtomicReference<WebSocketServer> started = new AtomicReference<>();
        Thread starter = new Thread(serversThreads, () -> started.set(WebSocketServer.start(0,
                Settings.defaults().keepAlive(PING_AFTER, PONG_WITHIN))), "starts the server");
        starter.start();
        starter.join();
        WebSocketServer server = started.get();
        assertNotNull(server, "WebSocketServer.start should start a server");
        try (RawSocket carol = RawSocket.open(server.port(), "/ws?name=Carol", "http://127.0.0.1:" + server.port())) {
            Eventually.until("the server should count Carol's socket", () -> server.openSockets() == 1,
                    () -> server.openSockets() + " open sockets");
        } finally {
            server.close();
        }
        Eventually.until("close() should stop every thread the server started, the keep-alive's ticker too: a"
                + " server closed and started again must not leave a thread behind each time (and a thread that is"
                + " not a daemon keeps the JVM from exiting)", () -> runningIn(serversThreads).isEmpty(),
                () -> "still running: " + runningIn(serversThreads));
    }

    /** The threads of {@code group}, not daemons, that still run. */
    private static List<String> runningIn(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        return Arrays.stream(threads, 0, count)
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .map(Thread::getName).toList();
    }
}

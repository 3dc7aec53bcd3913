package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy between the projector and the room that does not pass event streams: the board falls back to long
 * polling, chapter 07's way, and stays live.
 */
class RoomFallbackTest {
    final TestClock clock = new TestClock();

    /**
     * First, so that it is closed last: the servers' stop ends the page's held poll first, and the browser then
     * closes at once instead of waiting out its request timeout.
     */
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @RegisterExtension
    final Served<RoomServer> room = Served.by(() -> RoomServer.open(RoomServer.Options.defaults()
            .withChapters(RoomBoardTest.CHAPTERS).withClock(clock)
            .withTimings(Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(25), Duration.ofMillis(20))),
            RoomServer::port);

    @RegisterExtension
    final Served<Proxy> proxy = Served.by(() -> Proxy.refusingEventStreamsTo(room.origin()), Proxy::port);

    @TempDir
    Path folder;

    /** A proxy that answers 502 to event streams and passes everything else on. */
    static final class Proxy implements AutoCloseable {
        /** Stopped under a held poll, Undertow's proxy logs the cut poll as an error: it is the test's doing. */
        private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.undertow.proxy");
        private final Undertow undertow;

        private Proxy(Undertow undertow) {
            this.undertow = undertow;
        }

        static Proxy refusingEventStreamsTo(String origin) {
            QUIET.setLevel(java.util.logging.Level.OFF);
            ProxyHandler pass = ProxyHandler.builder().setProxyClient(new LoadBalancingProxyClient()
                    .addHost(URI.create(origin))).setMaxRequestTime(60_000).build();
            Undertow undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
                if (exchange.getRequestPath().equals("/board/events")) {
                    exchange.setStatusCode(502);
                    exchange.getResponseSender().send("this proxy does not pass event streams");
                } else {
                    pass.handleRequest(exchange);
                }
            }).build();
            undertow.start();
            return new Proxy(undertow);
        }

        int port() {
            return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        }

        @Override
        public void close() {
            undertow.stop();
        }
    }

    @Test
    void behindAProxyThatRefusesEventStreamsTheBoardLongPollsAndStaysLive() {
        Browser projector = browsers.open("Projector", proxy.url("/"));
        BoardPage board = new BoardPage(projector);
        projector.waitUntil("the board falls back to long polling and holds a poll",
                () -> board.transport().equals("live · longpoll") && room.server().heldPolls() == 1,
                () -> board.transport() + ", " + room.server().heldPolls() + " held polls");

        FakeParticipant ada = new FakeParticipant(folder, "Ada & Bob", room.origin(), room.server().code(), clock);
        assertTrue(ada.ran("04-websocket", 3, 16, "WebSocketChatTest.bobSeesAlicesMessage", 0).delivered(), ada.problems.toString());
        board.waitUntilItShows("shows Ada, brought by the held poll", "Ada & Bob | ", "04-websocket 3/16");
        assertTrue(ada.ran("04-websocket", 16, 16, null, 0).delivered());
        board.waitUntilItShows("shows Ada's next run", "04-websocket 16/16", "Room: everyone is green.");
        assertTrue(projector.exchanges().contains("GET /board/events (EventSource) → 502"), projector.exchanges().toString());
    }
}

package kata.launcher.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.undertow.Undertow;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher sends to the room, byte for byte, and what it does when the room does not answer. */
class RoomReporterTest {
    /** A room that only listens: it keeps what it is sent, and answers 200 — or never, when told to hang. */
    static final class ListeningRoom implements AutoCloseable {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile boolean hang;
        private final Undertow undertow;

        ListeningRoom() {
            undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
                if (hang) {
                    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> { }); // held, never answered
                    return;
                }
                exchange.getRequestReceiver().receiveFullString((done, body) -> {
                    received.add(done.getRequestMethod() + " " + done.getRequestPath() + "\n"
                            + done.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
                    done.getResponseSender().send("{\"ok\":true}");
                });
            }).build();
            undertow.start();
        }

        int port() {
            return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        }

        @Override
        public void close() {
            undertow.stop();
        }
    }

    @RegisterExtension
    final Served<ListeningRoom> room = Served.by(ListeningRoom::new, ListeningRoom::port);

    @TempDir
    Path clone;

    private RoomReporter reporter(List<String> problems) {
        RoomConfig.load(clone).joined(room.origin(), "K7QF", "Ada & Bob").save(clone);
        return new RoomReporter(RoomConfig.load(clone), problems::add);
    }

    @Test
    void aReportIsTheRunsStandingAndNothingElse() {
        List<String> problems = new CopyOnWriteArrayList<>();
        RoomReporter.Outcome outcome = reporter(problems).send(new RoomReport("Ada & Bob", "03-sse", 5, 17,
                "SseChatTest.bobSeesAlicesMessageWithoutReloading", 2, Instant.parse("2026-11-28T09:41:07Z"))).join();
        assertEquals(200, outcome.status());
        assertEquals(List.of(), problems);
        String id = RoomConfig.load(clone).id();
        Snapshot.verify(room.server().received.get(0).replace(id, "[the clone's random id]"));
    }

    @Test
    void aRoomThatDoesNotAnswerIsGivenUpAfterTheTimeoutWithOneLine() {
        List<String> problems = new CopyOnWriteArrayList<>();
        room.server().hang = true;
        RoomReporter.Outcome outcome = reporter(problems).send(new RoomReport("Ada & Bob", "03-sse", 5, 17,
                "SseChatTest.bobSeesAlicesMessageWithoutReloading", 2, Instant.now())).join();
        assertFalse(outcome.delivered());
        assertEquals(List.of("the room at " + room.origin() + " did not answer within 1000 ms"), problems);
    }
}

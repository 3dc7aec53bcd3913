package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room where everyone talks at the same moment. Every socket keeps reading, so none of them is slow: however
 * many frames are on their way at once, each must get every message, in the one order, and stay open.
 */
class BurstTest {
    static final int SOCKETS = 8;
    static final int EACH = 150;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> WebSocketServer.start(0), WebSocketServer::port);

    @Test
    @Lesson("§8 Slow peers and backpressure")
    void whenEveryoneTalksAtOnceEverySocketGetsEverythingInOrderAndNoneIsClosed() throws Exception {
        int total = SOCKETS * EACH;
        List<RawSocket> sockets = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2 * SOCKETS);
        try {
            for (int i = 0; i < SOCKETS; i++) {
                sockets.add(RawSocket.open(app.port(), "/ws?name=P" + i, app.origin()));
            }
            Eventually.until("the server should count all " + SOCKETS + " sockets", () -> app.server().openSockets() == SOCKETS,
                    () -> app.server().openSockets() + " open sockets");
            List<Future<List<Long>>> heard = new ArrayList<>();
            for (RawSocket socket : sockets) {
                heard.add(threads.submit(() -> readIds(socket, total)));
            }
            for (RawSocket socket : sockets) { // all at once: no socket waits for anything before it sends
                threads.submit(() -> {
                    for (int m = 0; m < EACH; m++) {
                        socket.sendText("{\"type\":\"message\",\"text\":\"burst " + m + "\"}");
                    }
                });
            }
            List<Long> everyId = LongStream.rangeClosed(1, total).boxed().toList();
            for (int i = 0; i < SOCKETS; i++) {
                List<Long> ids = result(heard.get(i));
                assertEquals(everyId, ids, "Socket P" + i + " kept reading: it should have every one of the " + total
                        + " messages, each once, in the server's order (ids 1 to " + total + ")");
            }
            assertEquals(SOCKETS, app.server().openSockets(), "Every socket read everything: none of them was too slow,"
                    + " so the server should have closed none of them");
        } finally {
            threads.shutdownNow();
            sockets.forEach(RawSocket::close);
        }
    }

    /** The ids of the next {@code count} message frames; fails as a learner would want to read it if the socket closes. */
    private static List<Long> readIds(RawSocket socket, int count) {
        List<Long> ids = new ArrayList<>();
        while (ids.size() < count) {
            String text;
            try {
                text = socket.readText();
            } catch (AssertionError ended) {
                throw new AssertionError("A socket that kept reading was cut after " + ids.size() + " of " + count
                        + " messages (" + ended.getMessage() + "). Frames on their way at once are not a slow reader:"
                        + " the bound is on the bytes a socket has not taken, and a reading socket takes them", ended);
            }
            Matcher id = ID.matcher(text);
            if (text.startsWith("{\"type\":\"message\"") && id.find()) {
                ids.add(Long.parseLong(id.group(1)));
            }
        }
        return ids;
    }

    private static List<Long> result(Future<List<Long>> heard) throws InterruptedException {
        try {
            return heard.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            fail("reading the burst failed: " + failed.getCause(), failed.getCause());
            return List.of();
        }
    }
}

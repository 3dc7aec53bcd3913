package kata.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A server that cannot stop fails its test with the news, instead of hanging the whole run. */
class ServedTest {
    /** A server whose handler thread waits forever: what a thread-per-request mistake leaves behind. */
    static final class StuckServer implements AutoCloseable {
        private final CountDownLatch never = new CountDownLatch(1);
        private final Thread handler = new Thread(this::handle, "worker-1");

        StuckServer() {
            handler.setDaemon(true);
            handler.start();
        }

        private void handle() {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            handler.join(); // as Undertow's stop waits for its workers
        }
    }

    @Test
    void aServerThatDoesNotStopFailsNamingTheThreadStuckInItsHandler() {
        StuckServer stuck = new StuckServer();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Served.stop(stuck, Duration.ofMillis(300), "§1 Held requests"));
        String message = failure.getMessage();
        assertTrue(message.startsWith("The server did not stop within 0.3 s after the test."), message);
        assertTrue(message.contains("thread 'worker-1' is waiting in kata.harness.ServedTest$StuckServer.handle"), message);
        assertTrue(message.contains("README.md §1 Held requests"), message);
        stuck.never.countDown();
    }

    @Test
    void aServerThatStopsStopsQuietly() throws Exception {
        Served.stop(() -> { }, Duration.ofSeconds(5), null);
    }
}

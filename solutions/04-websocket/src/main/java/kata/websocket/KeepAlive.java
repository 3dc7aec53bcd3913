package kata.websocket;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Pings sockets that have gone quiet and closes those that stop answering: a connection whose other end
 * vanished (a laptop lid closed, a mobile network gone) sends no FIN, and without this the server would
 * keep its socket, its queue and its place in the relay for ever. One thread for every socket: each tick
 * only compares times and, at most, queues a ping.
 */
final class KeepAlive implements AutoCloseable {
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(run -> new Thread(run, "websocket-keepalive"));

    /** @param clock the time in nanoseconds ({@link Settings#clock()}): {@code System::nanoTime}, or a test's */
    KeepAlive(Relay relay, Duration pingAfter, Duration pongWithin, LongSupplier clock) {
        // A quarter of the shorter time: a ping or a close is at most that late.
        long tick = Math.max(10, Collections.min(List.of(pingAfter, pongWithin)).dividedBy(4).toMillis());
        ticker.scheduleWithFixedDelay(() -> {
            long now = clock.getAsLong();
            for (Peer peer : relay.peers()) {
                try {
                    peer.keepAlive(now, pingAfter, pongWithin);
                } catch (RuntimeException closedMeanwhile) {
                    // its connection went away during the tick; its close task removes it from the relay
                }
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}

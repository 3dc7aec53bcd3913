package kata.websocket;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Pings sockets that have gone quiet and closes those that stop answering (lesson §9). Your code goes
 * here: one ticker thread for every socket is enough; each tick only compares times and, at most, queues
 * a ping ({@link Peer#keepAlive}).
 */
final class KeepAlive implements AutoCloseable {
    /** @param clock the time in nanoseconds ({@link Settings#clock()}): read it, not System.nanoTime() */
    KeepAlive(Relay relay, Duration pingAfter, Duration pongWithin, LongSupplier clock) {
        // TODO lesson §9: tick every so often and call keepAlive on every peer of the relay
    }

    @Override
    public void close() {
        // TODO lesson §9: stop ticking
    }
}

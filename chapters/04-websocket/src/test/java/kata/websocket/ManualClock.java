package kata.websocket;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The server's clock ({@link Settings#clock()}) in a test's hands: the time moves only when the test moves it,
 * so "silent for exactly the ping interval" is a value, not a hope about how long something took.
 */
final class ManualClock implements LongSupplier {
    /** Far from 0, as {@code System.nanoTime()} is: nothing may treat the time 0 as special. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}

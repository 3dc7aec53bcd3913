package kata.sse;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition on the server, with a deadline; fails with what was seen instead. */
final class Wait {
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private Wait() {
    }

    static void until(String expectation, BooleanSupplier done, Supplier<String> observed) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(expectation + " — still not so after " + DEADLINE.toSeconds()
                        + " s. Seen instead: " + observed.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}

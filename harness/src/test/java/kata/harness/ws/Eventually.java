package kata.harness.ws;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, looking every 20 ms; never a fixed sleep. */
final class Eventually {

    static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;

    private Eventually() {
    }

    /**
     * The first value {@code probe} offers before the deadline.
     *
     * @param what what is awaited, for the failure message
     * @param lastSeen what there is instead, for the failure message
     */
    static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + DEADLINE.toMillis() + " ms for " + what
                        + ", but it did not happen. Seen instead: " + lastSeen.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }
}

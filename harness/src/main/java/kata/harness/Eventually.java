package kata.harness;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting on a condition with a deadline, looking again after 1 ms, then less often, at least every 10 ms
 * ({@link LookAgain}); never a fixed sleep. For what is not a page (server state, a raw client, a thread); a page's
 * waits are {@link Browser#waitUntil}, which also end at once on a 501 or a script error.
 */
public final class Eventually {
    /** As {@link Browser#DEADLINE}: it bounds a wait that should succeed; {@code scripts/repeat --load 6} measures it. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    private Eventually() {
    }

    /** The first value {@code probe} offers before the deadline; {@code seen} says what there was instead. */
    public static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> seen) {
        long started = System.nanoTime();
        long deadline = started + DEADLINE.toNanos();
        LookAgain next = new LookAgain();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                SlowestWaits.succeeded(what, System.nanoTime() - started, DEADLINE);
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " — still not so after " + DEADLINE.toSeconds()
                        + " s. Seen instead: " + seen.get());
            }
            next.pause();
        }
    }

    /** Waits until {@code condition} holds. */
    public static void until(String what, BooleanSupplier condition, Supplier<String> seen) {
        await(what, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), seen);
    }

    /** Waits until {@code condition} holds. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "not yet");
    }

    /** Waits until {@code actual} equals {@code expected}. */
    public static <T> void until(String what, Supplier<T> actual, T expected) {
        until(what + ": expected <" + expected + ">", () -> Objects.equals(actual.get(), expected),
                () -> "<" + actual.get() + ">");
    }
}

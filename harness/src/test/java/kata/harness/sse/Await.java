package kata.harness.sse;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline: polls every 20 ms, fails with what it saw. */
final class Await {

    static final long TIMEOUT_MILLIS = 5000;
    private static final long POLL_NANOS = 20_000_000;

    private Await() {
    }

    /** Waits until {@code actual} equals {@code expected}. */
    static <T> void until(String what, Supplier<T> actual, T expected) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        T seen = actual.get();
        while (!Objects.equals(seen, expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": expected <" + expected + "> within " + TIMEOUT_MILLIS
                        + " ms, but was <" + seen + ">");
            }
            LockSupport.parkNanos(POLL_NANOS);
            seen = actual.get();
        }
    }

    /** Waits until {@code condition} holds. */
    static void until(String what, BooleanSupplier condition) {
        until(what, condition::getAsBoolean, true);
    }
}

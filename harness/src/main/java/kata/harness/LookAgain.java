package kata.harness;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The pause between two looks at a condition a test waits for: 1 ms after the first look, doubling up to 10 ms.
 * Most waits end within a few milliseconds (a message crossing a local server); with a fixed 20 ms pause each of
 * them took 20 ms, and a chapter's run waits a hundred times. A wait that takes longer looks every 10 ms.
 */
final class LookAgain {
    private static final long LONGEST = Duration.ofMillis(10).toNanos();
    private long pause = Duration.ofMillis(1).toNanos();

    /** Sleeps until the next look. */
    void pause() {
        LockSupport.parkNanos(pause);
        pause = Math.min(LONGEST, pause * 2);
    }
}

package kata.launcher.room;

/**
 * A request the room refuses, with the status and the reason its answer carries ({@code {"error": …}}).
 * Nothing the room has changes when it is thrown.
 */
final class Refusal extends RuntimeException {
    private final int status;
    private final long retryAfterSeconds;

    Refusal(int status, String reason) {
        this(status, reason, 0);
    }

    Refusal(int status, String reason, long retryAfterSeconds) {
        super(reason, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    /** For a 429: when to try again, in whole seconds (at least 1); 0 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

package kata.launcher;

/** A mistake in how the launcher was called; its message is all the learner sees. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}

package kata.launcher;

/**
 * One test of a run: {@code Class.method} as the hints name it, the failure's message when it failed, and
 * how long it took.
 */
record TestOutcome(String test, boolean passed, String message, long millis) {

    static TestOutcome pass(String test, long millis) {
        return new TestOutcome(test, true, null, millis);
    }

    static TestOutcome fail(String test, String message) {
        return new TestOutcome(test, false, message, 0);
    }

    static TestOutcome fail(String test, String message, long millis) {
        return new TestOutcome(test, false, message, millis);
    }
}

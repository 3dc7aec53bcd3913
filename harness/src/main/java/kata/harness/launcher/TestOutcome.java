package kata.harness.launcher;

/** One test of a run: {@code Class.method} as the hints name it, and the failure's message when it failed. */
record TestOutcome(String test, boolean passed, String message) {

    static TestOutcome pass(String test) {
        return new TestOutcome(test, true, null);
    }

    static TestOutcome fail(String test, String message) {
        return new TestOutcome(test, false, message);
    }
}

package kata.launcher;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One run of a chapter's tests: the outcome of each test, or the compiler's errors when the chapter did
 * not compile, and how long compiling and testing took.
 */
record ChapterRun(String chapter, String fingerprint, List<TestOutcome> outcomes, List<String> compileErrors,
        long compileMillis, long testMillis) {

    boolean compiled() {
        return compileErrors.isEmpty();
    }

    long passed() {
        return outcomes.stream().filter(TestOutcome::passed).count();
    }

    int total() {
        return outcomes.size();
    }

    boolean solved() {
        return compiled() && total() > 0 && passed() == total();
    }

    /** The outcomes in the order of the chapter's hints (the order a learner meets them), others after. */
    List<TestOutcome> inOrder(Hints hints) {
        return outcomes.stream().sorted(Comparator.comparingInt(o -> hints.position(o.test()))).toList();
    }

    Optional<TestOutcome> firstFailure(Hints hints) {
        return inOrder(hints).stream().filter(o -> !o.passed()).findFirst();
    }
}

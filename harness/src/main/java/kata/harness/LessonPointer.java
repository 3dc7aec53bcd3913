package kata.harness;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/** Ends a failing test's message with the {@link Lesson} section that teaches it. */
final class LessonPointer implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Optional<Lesson> lesson = context.getTestMethod().flatMap(LessonPointer::lesson)
                .or(() -> context.getTestClass().flatMap(LessonPointer::lesson));
        if (lesson.isEmpty() || !(failure instanceof AssertionError)) {
            throw failure;
        }
        // A test blocked by an earlier step's 501 points to that step's section: the message is about it.
        String section = failure instanceof BlockedByStub blocked ? blocked.section().orElse(lesson.get().value())
                : lesson.get().value();
        AssertionError pointed = new AssertionError(pointed(failure.getMessage(), section), failure.getCause());
        pointed.setStackTrace(failure.getStackTrace());
        throw pointed;
    }

    /** {@code message}, then the pointer to {@code section} on a line of its own, in the learner's language. */
    static String pointed(String message, String section) {
        return message + "\n    " + LessonText.pointer(section);
    }

    private static Optional<Lesson> lesson(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(Lesson.class));
    }
}

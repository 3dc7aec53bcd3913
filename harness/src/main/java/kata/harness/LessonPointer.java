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
        AssertionError pointed = new AssertionError(pointed(failure.getMessage(), lesson.get().value()), failure.getCause());
        pointed.setStackTrace(failure.getStackTrace());
        throw pointed;
    }

    /** {@code message}, then the pointer to {@code section} on a line of its own. */
    static String pointed(String message, String section) {
        return message + "\n    → read the lesson, README.md " + section;
    }

    private static Optional<Lesson> lesson(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(Lesson.class));
    }
}

package kata.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where in the chapter's lesson a test's subject is taught, for example
 * {@code @Lesson("§3 The since cursor")}. A failing test's message ends with that pointer, so the
 * learner knows where to read; on a test class it is the default for its tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(LessonPointer.class)
public @interface Lesson {
    String value();
}

package kata.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A learner's clone in a temporary folder, with two small chapters built like the real ones: a stub
 * whose tests fail, a page-like resource, hints, a mirrored solution, all committed to git.
 */
final class FakeKata {
    static final String STUB = """
            package PKG;

            /** Says hello. Your code goes here. */
            public final class Greeter {
                private Greeter() {
                }

                /** "Hello, Ada!": the words come from greeting.txt, beside this class. */
                public static String greet(String name) {
                    return "TODO: greet";
                }

                /** "Hello, world!" when nobody is named. */
                public static String greetEveryone() {
                    return "TODO: greet everyone";
                }
            }
            """;

    static final String HALF_DONE = STUB.replace("\"TODO: greet\"", "\"Hello, \" + name + \"!\"");

    static final String BROKEN = STUB.replace("\"TODO: greet\"", "TODO");

    static final String SOLUTION = """
            package PKG;

            import java.io.IOException;
            import java.io.InputStream;
            import java.io.UncheckedIOException;
            import java.nio.charset.StandardCharsets;

            /** Says hello, in the words of greeting.txt. */
            public final class Greeter {
                private Greeter() {
                }

                public static String greet(String name) {
                    return String.format(template(), name);
                }

                public static String greetEveryone() {
                    return greet("world");
                }

                private static String template() {
                    try (InputStream in = Greeter.class.getResourceAsStream("greeting.txt")) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    static final String TEST = """
            package PKG;

            import static org.junit.jupiter.api.Assertions.assertEquals;

            import org.junit.jupiter.api.Test;

            class GreeterTest {
                @Test
                void greetsAPersonByName() {
                    assertEquals("Hello, Ada!", Greeter.greet("Ada"), "greet(\\"Ada\\") should say hello to Ada");
                }

                @Test
                void greetsTheWorldWhenNobodyIsNamed() {
                    assertEquals("Hello, world!", Greeter.greetEveryone(), "greetEveryone() should greet the world");
                }
            }
            """;

    static final String HINTS = """
            # Hints — chapter NAME

            One section per test, named `Class.method`.

            ## GreeterTest.greetsAPersonByName
            1. The words are in `greeting.txt`, beside the class.
            2. Read it with `Greeter.class.getResourceAsStream("greeting.txt")`, then
               `String.format` the name into it.

            ## GreeterTest.greetsTheWorldWhenNobodyIsNamed
            1. The world is a name too.
            """;

    final Path root;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private FakeKata(Path root) {
        this.root = root;
    }

    /** A fresh clone: chapters {@code 01-hello} (package {@code hello}) and {@code 02-world} ({@code world}). */
    static FakeKata cloneIn(Path folder) {
        FakeKata kata = new FakeKata(folder);
        kata.write(".gitignore", ".kata/\n");
        kata.write("chapters/pom.xml", "<project/>\n");
        for (String chapter : List.of("01-hello", "02-world")) {
            String pkg = chapter.substring(3);
            String dir = "chapters/" + chapter + "/";
            kata.write(dir + "pom.xml", "<project/>\n");
            kata.write(dir + "README.md", "# " + chapter + "\n");
            kata.write(dir + "hints.md", HINTS.replace("NAME", chapter));
            kata.write(dir + "src/main/java/" + pkg + "/Greeter.java", STUB.replace("PKG", pkg));
            kata.write(dir + "src/main/resources/" + pkg + "/greeting.txt", "Hello, %s!\n");
            kata.write(dir + "src/test/java/" + pkg + "/GreeterTest.java", TEST.replace("PKG", pkg));
            kata.write("solutions/" + chapter + "/src/main/java/" + pkg + "/Greeter.java", SOLUTION.replace("PKG", pkg));
            kata.write("solutions/" + chapter + "/src/main/resources/" + pkg + "/greeting.txt", "Hello, %s!\n");
        }
        kata.git("init", "-q");
        kata.git("add", "-A");
        kata.git("-c", "user.name=Kata", "-c", "user.email=kata@example.invalid", "commit", "-q", "-m", "the kata");
        return kata;
    }

    /** The learner's greeter of {@code chapter}: {@code STUB}, {@code HALF_DONE} or {@code SOLUTION}. */
    Path greeter(String chapter) {
        return root.resolve("chapters/" + chapter + "/src/main/java/" + chapter.substring(3) + "/Greeter.java");
    }

    void saveGreeter(String chapter, String code) {
        write(root.relativize(greeter(chapter)).toString(), code.replace("PKG", chapter.substring(3)));
    }

    Path greeting(String chapter) {
        return root.resolve("chapters/" + chapter + "/src/main/resources/" + chapter.substring(3) + "/greeting.txt");
    }

    void write(String path, String text) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A session on this JVM's libraries, as the launcher's is on the chapters' class path. */
    Session session() {
        return Session.inThisJvm(root);
    }

    /** A plain terminal whose output {@link #output()} returns, answering questions with {@code input}. */
    Terminal terminal(String input) {
        return Terminal.plain(new PrintStream(output, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(input)));
    }

    /** Runs {@code ./kata args…} in a new launcher JVM state and returns what it printed. */
    String kata(String... args) {
        return kataAnswering("", args);
    }

    String kataAnswering(String input, String... args) {
        output.reset();
        assertEquals(0, new Kata(session(), terminal(input)).run(List.of(args)));
        return output();
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    void git(String... args) {
        Git.Result result = new Git(root).run(args);
        assertEquals(0, result.exitCode(), () -> "git " + String.join(" ", args) + ": " + result.output());
    }
}

package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One chapter of the kata: {@code chapters/NN-name} and its mirror {@code solutions/NN-name}. Its
 * {@code main} is what is built and tested: the learner's {@code src/main}, or another folder of the same
 * shape (the solution, or a copy of it with a mistake in it).
 */
record Chapter(String name, Path dir, Path solution, Path main) {

    Chapter(String name, Path dir, Path solution) {
        this(name, dir, solution, dir.resolve("src/main"));
    }

    /** The same chapter with {@code main} built and tested in place of the learner's code. */
    Chapter withMain(Path otherMain) {
        return new Chapter(name, dir, solution, otherMain);
    }

    Path mainJava() {
        return main.resolve("java");
    }

    Path mainResources() {
        return main.resolve("resources");
    }

    /** What the chapter gives and both the stub and the solution build on: not the learner's to edit. */
    Path givenJava() {
        return dir.resolve("src/given/java");
    }

    Path givenResources() {
        return dir.resolve("src/given/resources");
    }

    Path testJava() {
        return dir.resolve("src/test/java");
    }

    Path testResources() {
        return dir.resolve("src/test/resources");
    }

    /** The hints in the learner's language ({@code ./kata lang}): {@code hints.zh.md} or {@code hints.md}. */
    Path hints() {
        Path chinese = dir.resolve("hints.zh.md");
        return kata.harness.LessonText.language().equals("zh") && Files.isRegularFile(chinese) ? chinese
                : dir.resolve("hints.md");
    }

    Path solutionMain() {
        return solution.resolve("src/main");
    }

    /** The ways people get this chapter wrong, as edits of its solution: {@code solutions/NN-name/mistakes.md}. */
    Path mistakes() {
        return solution.resolve("mistakes.md");
    }

    /**
     * What the chapter's tests depend on, as one hash: the paths and contents of its sources, its page
     * and its tests. A recorded result is still true while this has not changed.
     */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : sources()) {
                sha.update(dir.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file a build of this chapter reads, sorted: Java sources and resources, main and test. */
    List<Path> sources() {
        return Stream.of(mainJava(), mainResources(), givenJava(), givenResources(), testJava(), testResources())
                .flatMap(root -> files(root).stream().filter(file -> isSource(root, file)))
                .sorted().toList();
    }

    /** In a {@code java} folder only {@code .java} files count (ApprovalTests writes snapshots there). */
    boolean isSource(Path root, Path file) {
        return !root.getFileName().toString().equals("java") || file.getFileName().toString().endsWith(".java");
    }

    static List<Path> files(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

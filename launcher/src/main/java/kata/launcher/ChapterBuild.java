package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A chapter compiled by the launcher, outside Maven, into {@code .kata/build/NN-name/}: {@code main/}
 * (the learner's classes and page) and {@code test/} (the tests). {@link #update()} redoes only what the
 * saved files need: the main sources when one of them changed, the tests when one of theirs did, and
 * copies changed resources.
 */
final class ChapterBuild {
    /** What a file held when it was last built (its contents, not its time: two saves can share a tick). */
    private record Stamp(long size, long crc) {
    }

    /** The result of an update: the compiler's errors (none when it compiled) and its time. */
    record Result(List<String> errors, long millis, boolean changed) {
        boolean compiled() {
            return errors.isEmpty();
        }
    }

    private final Chapter chapter;
    private final Path output;
    private final List<Path> libraries;
    private final InProcessCompiler compiler;
    private Map<Path, Stamp> built = Map.of();
    /** Still to compile: at first, and after a compile error, until it compiles. */
    private boolean mainStale = true;
    private boolean testStale = true;

    ChapterBuild(Chapter chapter, Path output, List<Path> libraries, InProcessCompiler compiler) {
        this.chapter = chapter;
        this.output = output;
        this.libraries = libraries;
        this.compiler = compiler;
    }

    Path mainClasses() {
        return output.resolve("main");
    }

    Path testClasses() {
        return output.resolve("test");
    }

    /** Brings the build up to date with the chapter's files. */
    synchronized Result update() {
        long started = System.nanoTime();
        Map<Path, Stamp> now = stamps();
        boolean mainJava = mainStale || changed(now, chapter.mainJava()) || changed(now, chapter.givenJava());
        boolean mainResources = changed(now, chapter.mainResources()) || changed(now, chapter.givenResources());
        boolean testJava = testStale || changed(now, chapter.testJava());
        boolean testResources = changed(now, chapter.testResources());
        if (!(mainJava || mainResources || testJava || testResources)) {
            return new Result(List.of(), 0, false);
        }
        List<String> errors = new ArrayList<>();
        if (mainJava) {
            clean(mainClasses());
            List<Path> mainSources = new ArrayList<>(sources(chapter.mainJava()));
            mainSources.addAll(sources(chapter.givenJava()));
            errors.addAll(compiler.compile(mainSources, libraries, mainClasses()));
            mainStale = !errors.isEmpty();
        }
        if (mainJava || mainResources) {
            copyResources(chapter.givenResources(), mainClasses());
            copyResources(chapter.mainResources(), mainClasses());
        }
        if (errors.isEmpty() && testJava) {
            clean(testClasses());
            List<Path> classPath = new ArrayList<>(libraries);
            classPath.add(0, mainClasses());
            errors.addAll(compiler.compile(sources(chapter.testJava()), classPath, testClasses()));
            testStale = !errors.isEmpty();
        }
        if (testJava || testResources) {
            copyResources(chapter.testResources(), testClasses());
        }
        built = now;
        return new Result(List.copyOf(errors), (System.nanoTime() - started) / 1_000_000, true);
    }

    private Map<Path, Stamp> stamps() {
        Map<Path, Stamp> stamps = new HashMap<>();
        for (Path file : chapter.sources()) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                stamps.put(file, new Stamp(bytes.length, crc.getValue()));
            } catch (IOException e) {
                // Deleted while we looked: the next event brings it up again.
            }
        }
        return stamps;
    }

    private boolean changed(Map<Path, Stamp> now, Path root) {
        return !subset(now, root).equals(subset(built, root));
    }

    private static Map<Path, Stamp> subset(Map<Path, Stamp> stamps, Path root) {
        Map<Path, Stamp> subset = new HashMap<>();
        stamps.forEach((file, stamp) -> {
            if (file.startsWith(root)) {
                subset.put(file, stamp);
            }
        });
        return subset;
    }

    static List<Path> sources(Path root) {
        return Chapter.files(root).stream().filter(f -> f.getFileName().toString().endsWith(".java")).toList();
    }

    static void copyResources(Path from, Path to) {
        for (Path file : Chapter.files(from)) {
            try {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void clean(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Proves a chapter's catalog of mistakes rejected: each mistake applied to a copy of the reference solution,
 * compiled in process, and the chapter's tests run against it in this warm JVM, side by side. A mistake is
 * rejected when at least one test fails with a pointer to the section the mistake breaks; a crash, a time-out
 * or a pointer elsewhere does not count.
 */
final class MistakeCheck {
    /** The lesson pointer under a failure: {@code README.md §4 …} (or {@code README.zh.md §4 …}). */
    private static final Pattern POINTER = Pattern.compile("README(?:\\.zh)?\\.md (§\\d+)");

    enum Kind {
        REJECTED("rejected"), POINTS_ELSEWHERE("caught, but the failure points elsewhere"),
        NOT_A_LEARNER_FAILURE("fails without a lesson pointer (a crash or a time-out)"), SURVIVES("survives: every test passes"),
        BROKEN("the catalog's edit does not apply or compile");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /** What became of one mistake: the kind, what caught it (or what was seen), and how long it took. */
    record Verdict(String chapter, Mistake mistake, Kind kind, String detail, long millis) {
        boolean rejected() {
            return kind == Kind.REJECTED;
        }
    }

    private final Path root;
    private final List<Path> libraries;
    private final ClassLoader libraryLoader;
    private final InProcessCompiler compiler;
    private final int sideBySide;

    /**
     * Loggers a broken solution fills with stack traces no one reads here (a verdict comes from the tests' failures):
     * uncaught exceptions of Undertow's threads, a request that failed, a Redis client that lost its server. Held
     * here, as a logger's level lasts only as long as something holds the logger.
     */
    private static final List<Logger> SILENCED = new ArrayList<>();

    MistakeCheck(Path root, List<Path> libraries, ClassLoader libraryLoader, InProcessCompiler compiler, int sideBySide) {
        this.root = root;
        this.libraries = libraries;
        this.libraryLoader = libraryLoader;
        this.compiler = compiler;
        this.sideBySide = sideBySide;
        silenceTheMutantsLogs(libraryLoader);
    }

    /** The tests' own quiet logging first (it reads a whole configuration, once per JVM), then the mutants' noise off. */
    private static synchronized void silenceTheMutantsLogs(ClassLoader libraryLoader) {
        if (!SILENCED.isEmpty()) {
            return;
        }
        try {
            Class.forName("kata.harness.QuietLogs", true, libraryLoader).getMethod("install").invoke(null);
        } catch (ReflectiveOperationException | LinkageError noHarness) {
            return; // no harness on the class path: nothing of it to silence either
        }
        for (String name : List.of("org.jboss.threads.errors", "io.undertow.request", "org.xnio.listener", "io.lettuce")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.OFF);
            SILENCED.add(logger);
        }
    }

    /** One chapter's mistakes, to apply to {@code base} (the folder of a {@code src/main}: the solution's or a learner's). */
    record Catalog(Chapter chapter, Path base, List<Mistake> mistakes) {
    }

    /**
     * Checks {@code mistakes} of {@code chapter} against {@code base} (the folder of a {@code src/main} to
     * apply them to: the solution's, or a learner's); {@code onEach} hears of each verdict as it comes.
     */
    List<Verdict> check(Chapter chapter, Path base, List<Mistake> mistakes, boolean onlyNamedTests, Consumer<Verdict> onEach) {
        TestRunner.approvalsAt(chapter.dir());
        return check(List.of(new Catalog(chapter, base, mistakes)), onlyNamedTests, onEach);
    }

    /**
     * Checks every catalog in one pool, so that no chapter waits for the slowest mistake of the one before
     * (most of a mistake's time is a test waiting, not the CPU: the pool keeps {@code sideBySide} waiting at
     * once). The verdicts come back in the catalogs' order; {@code onEach} hears of each as it comes.
     */
    List<Verdict> checkAll(List<Catalog> catalogs, boolean onlyNamedTests, Consumer<Verdict> onEach) {
        // The snapshots of every chapter are found under chapters/ (each test's package is its chapter's own),
        // and the pointers need only the section's number: one setting for all, as the runs overlap.
        TestRunner.approvalsAt(root.resolve("chapters"));
        System.setProperty(kata.harness.LessonText.CHAPTER_DIR, root.toString());
        return check(catalogs, onlyNamedTests, onEach);
    }

    private List<Verdict> check(List<Catalog> catalogs, boolean onlyNamedTests, Consumer<Verdict> onEach) {
        List<Path> testClasses = new ArrayList<>();
        for (Catalog catalog : catalogs) {
            Chapter chapter = catalog.chapter();
            Chapter solution = chapter.withMain(chapter.solutionMain());
            ChapterBuild tests = new ChapterBuild(solution, work(chapter).resolve("solution"), libraries, compiler);
            ChapterBuild.Result built = tests.update();
            if (!built.compiled()) {
                throw new UsageError("The reference solution of " + chapter.name() + " does not compile:\n  "
                        + String.join("\n  ", built.errors()));
            }
            testClasses.add(tests.testClasses());
        }
        // A mistake's failed snapshot must leave no .received.txt in the chapter's folder.
        System.setProperty("kata.snapshot.writeReceived", "false");
        ExecutorService pool = Executors.newFixedThreadPool(sideBySide, runnable -> {
            Thread thread = new Thread(runnable, "kata-mistakes");
            thread.setDaemon(true);
            return thread;
        });
        ThreadLocal<TestRunner> runners = ThreadLocal.withInitial(() -> new TestRunner(libraryLoader));
        try {
            List<Future<Verdict>> futures = new ArrayList<>();
            for (int i = 0; i < catalogs.size(); i++) {
                Catalog catalog = catalogs.get(i);
                Path tests = testClasses.get(i);
                for (Mistake mistake : catalog.mistakes()) {
                    futures.add(pool.submit(() -> {
                        Verdict verdict = one(catalog.chapter(), catalog.base(), mistake, work(catalog.chapter()), tests,
                                runners.get(), onlyNamedTests);
                        onEach.accept(verdict);
                        return verdict;
                    }));
                }
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> future : futures) {
                verdicts.add(future.get());
            }
            return verdicts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    int sideBySide() {
        return sideBySide;
    }

    private Path work(Chapter chapter) {
        return root.resolve(".kata/build/mistakes").resolve(chapter.name());
    }

    private Verdict one(Chapter chapter, Path base, Mistake mistake, Path work, Path testClasses, TestRunner runner,
            boolean onlyNamedTests) {
        long started = System.nanoTime();
        Path folder = work.resolve(mistake.id());
        Path main = folder.resolve("src/main");
        Path classes = folder.resolve("classes");
        ChapterBuild.clean(folder);
        copyTree(base, main);
        try {
            mistake.applyTo(folder);
        } catch (IllegalStateException e) {
            return new Verdict(chapter.name(), mistake, Kind.BROKEN, e.getMessage(), millis(started));
        }
        Chapter mistaken = chapter.withMain(main);
        List<Path> sources = new ArrayList<>(ChapterBuild.sources(mistaken.mainJava()));
        sources.addAll(ChapterBuild.sources(chapter.givenJava()));
        List<String> errors = compiler.compile(sources, libraries, classes);
        if (!errors.isEmpty()) {
            return new Verdict(chapter.name(), mistake, Kind.BROKEN, "does not compile: " + String.join("; ", errors), millis(started));
        }
        ChapterBuild.copyResources(chapter.givenResources(), classes);
        ChapterBuild.copyResources(mistaken.mainResources(), classes);
        Set<String> named = Set.copyOf(mistake.caughtBy());
        Predicate<String> wanted = onlyNamedTests && !named.isEmpty() ? named::contains : test -> true;
        List<TestOutcome> outcomes = runner.execute("kata-" + chapter.name() + "-" + mistake.id(), testClasses, classes, wanted);
        return judge(chapter.name(), mistake, outcomes, millis(started));
    }

    static Verdict judge(String chapter, Mistake mistake, List<TestOutcome> outcomes, long millis) {
        List<String> right = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        List<String> unpointed = new ArrayList<>();
        for (TestOutcome outcome : outcomes) {
            if (outcome.passed()) {
                continue;
            }
            Matcher pointer = POINTER.matcher(outcome.message() == null ? "" : outcome.message());
            String section = null;
            while (pointer.find()) {
                section = pointer.group(1);
            }
            if (section == null) {
                unpointed.add(outcome.test() + " (" + firstLine(outcome.message()) + ")");
            } else if (section.equals(mistake.section())) {
                right.add(outcome.test());
            } else {
                elsewhere.add(outcome.test() + " → " + section);
            }
        }
        if (!right.isEmpty()) {
            return new Verdict(chapter, mistake, Kind.REJECTED, String.join(", ", right), millis);
        }
        if (!elsewhere.isEmpty()) {
            return new Verdict(chapter, mistake, Kind.POINTS_ELSEWHERE, String.join(", ", elsewhere), millis);
        }
        if (!unpointed.isEmpty()) {
            return new Verdict(chapter, mistake, Kind.NOT_A_LEARNER_FAILURE, String.join(", ", unpointed), millis);
        }
        return new Verdict(chapter, mistake, Kind.SURVIVES, outcomes.size() + " tests ran, all passed", millis);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

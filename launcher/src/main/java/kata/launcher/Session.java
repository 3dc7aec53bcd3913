package kata.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The launcher's warm state for as long as its JVM lives: the chapters, the learner's progress, one
 * compiler, one test runner, and each chapter's build. Everything a command needs to know where a
 * learner stands.
 */
final class Session {
    private final ChapterCatalog catalog;
    private final Progress progress;
    private final Git git;
    private final List<Path> libraries;
    private final ClassLoader libraryLoader;
    private final InProcessCompiler compiler = new InProcessCompiler();
    private final TestRunner runner;
    private final Map<String, ChapterBuild> builds = new HashMap<>();
    private final List<Consumer<ChapterRun>> afterEachRun = new CopyOnWriteArrayList<>();

    Session(Path root, List<Path> libraries, ClassLoader libraryLoader) {
        this.catalog = new ChapterCatalog(root);
        this.progress = Progress.load(root);
        this.git = new Git(root);
        this.libraries = libraries;
        this.libraryLoader = libraryLoader;
        this.runner = new TestRunner(libraryLoader);
    }

    /** A session on the libraries of this JVM: its class path is the chapters' class path. */
    static Session inThisJvm(Path root) {
        List<Path> libraries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
        return new Session(root, libraries, Session.class.getClassLoader());
    }

    ChapterCatalog catalog() {
        return catalog;
    }

    Progress progress() {
        return progress;
    }

    Git git() {
        return git;
    }

    Path root() {
        return catalog.root();
    }

    /** Runs catalogs of mistakes with this session's compiler and libraries, {@code sideBySide} at a time. */
    MistakeCheck mistakeCheck(int sideBySide) {
        return new MistakeCheck(root(), libraries, libraryLoader, compiler, sideBySide);
    }

    /** Compiles what changed and runs the chapter's tests; the result is recorded as the chapter's progress. */
    synchronized ChapterRun run(Chapter chapter) {
        String fingerprint = chapter.fingerprint();
        ChapterBuild build = builds.computeIfAbsent(chapter.name(), name -> new ChapterBuild(chapter,
                root().resolve(".kata/build").resolve(name), libraries, compiler));
        ChapterBuild.Result compiled = build.update();
        ChapterRun run;
        if (!compiled.compiled()) {
            List<TestOutcome> none = progress.lastRun(chapter.name()).map(ChapterRun::outcomes).orElse(List.of())
                    .stream().map(o -> TestOutcome.fail(o.test(), "does not compile")).toList();
            run = new ChapterRun(chapter.name(), fingerprint, none, compiled.errors(), compiled.millis(), 0);
        } else {
            long started = System.nanoTime();
            List<TestOutcome> outcomes = runner.run(chapter, build);
            run = new ChapterRun(chapter.name(), fingerprint, outcomes, List.of(), compiled.millis(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        progress.record(run);
        afterEachRun.forEach(listener -> listener.accept(run));
        return run;
    }

    /** Told of every recorded run, after it is recorded (the workshop room's reporter); must return at once. */
    void afterEachRun(Consumer<ChapterRun> listener) {
        afterEachRun.add(listener);
    }

    /**
     * Where the chapter stands now: its last recorded run if its files have not changed since, nothing
     * for an untouched stub (every test fails on it: {@code ./kata verify} proves that), else a new run.
     */
    Optional<ChapterRun> current(Chapter chapter) {
        Optional<ChapterRun> last = progress.lastRun(chapter.name());
        if (last.isPresent() && last.get().fingerprint().equals(chapter.fingerprint())) {
            return last;
        }
        if (git.untouched(chapter.dir().resolve("src"))) {
            return Optional.empty();
        }
        return Optional.of(run(chapter));
    }

    /** The first chapter that is not solved, in order; empty when every chapter is. */
    Optional<Chapter> next(Map<Chapter, Optional<ChapterRun>> standings) {
        return standings.entrySet().stream().filter(e -> e.getValue().map(r -> !r.solved()).orElse(true))
                .map(Map.Entry::getKey).findFirst();
    }
}

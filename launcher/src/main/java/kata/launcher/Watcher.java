package kata.launcher;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ./kata watch}: runs a chapter's tests, then again each time one of its files is saved — in this
 * JVM, which stays warm, so that a rerun takes a fraction of a second where {@code mvn test} takes
 * several. Saves that come together (an editor writes a file in steps) are one rerun.
 */
final class Watcher implements AutoCloseable {
    /** A burst of events ends when none came for this long. */
    static final Duration QUIET = Duration.ofMillis(100);

    private final Session session;
    private final Chapter chapter;
    private final Terminal terminal;
    private final Consumer<ChapterRun> onRun;
    private final WatchService events;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private int runs;

    Watcher(Session session, Chapter chapter, Terminal terminal, Consumer<ChapterRun> onRun) {
        this.session = session;
        this.chapter = chapter;
        this.terminal = terminal;
        this.onRun = onRun;
        try {
            this.events = chapter.dir().getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs, then reruns on every save until {@link #close()} or the end of the JVM. */
    void run() {
        watch(chapter.dir().resolve("src"));
        terminal.println(terminal.bold(terminal.say("Watching chapters/", "正在监视 chapters/") + chapter.name() + "/src")
                + terminal.say(" — save a file to rerun the tests; Ctrl-C to stop.", " —— 保存文件即重新运行测试；Ctrl-C 结束。"));
        rerun(terminal.say("first run", "第一次运行"), System.nanoTime());
        try {
            while (true) {
                WatchKey key = events.take();
                long savedAt = System.nanoTime();
                TreeSet<String> saved = new TreeSet<>(drain(key));
                // One save is often several events (write, rename, attributes): wait for a quiet moment.
                while ((key = events.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    saved.addAll(drain(key));
                }
                if (!saved.isEmpty()) {
                    rerun(String.join(", ", saved) + terminal.say(" saved", " 已保存"), savedAt);
                }
            }
        } catch (ClosedWatchServiceException e) {
            // closed: the watch is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rerun(String why, long savedAt) {
        runs++;
        terminal.println();
        terminal.println(terminal.dim("── " + chapter.name() + " · run " + runs + " · " + why + " ──"));
        long started = System.nanoTime();
        ChapterRun run;
        try {
            run = session.run(chapter);
        } catch (RuntimeException e) {
            terminal.println(terminal.red(terminal.say("The launcher could not run the tests: ", "启动器无法运行测试：") + TestRunner.describe(e)));
            return;
        }
        long finished = System.nanoTime();
        Hints hints = Hints.of(chapter);
        RunReport.HintStep hint = run.firstFailure(hints).flatMap(first -> RunReport.HintStep.of(hints,
                first.test(), session.progress().hintsShown(chapter.name(), first.test()))).orElse(null);
        terminal.print(new RunReport(terminal).render(run, hints, hint));
        String took = (runs == 1 ? terminal.say("first run ", "第一次运行 ") : terminal.say("rerun ", "重新运行 "))
                + seconds(finished - started) + terminal.say(" (compile ", "（编译 ") + run.compileMillis()
                + terminal.say(" ms, tests ", " ms，测试 ") + run.testMillis() + terminal.say(" ms)", " ms）");
        if (runs > 1) {
            took += terminal.say(", " + seconds(finished - savedAt) + " after the save", "，保存后 " + seconds(finished - savedAt));
        }
        terminal.println(terminal.dim(took + (runs == 1 ? terminal.say(" — reruns are faster: this JVM stays warm",
                " —— 之后的运行更快：这个 JVM 一直是热的") : "")));
        onRun.accept(run);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** The names of the chapter's files that an event batch touched, ignoring editors' temporary files. */
    private List<String> drain(WatchKey key) {
        Path folder = folders.get(key);
        List<String> saved = new ArrayList<>();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (folder == null || !(event.context() instanceof Path name)) {
                continue;
            }
            Path path = folder.resolve(name);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
                watch(path);
                saved.add(name + "/");
            } else if (counts(path)) {
                saved.add(name.toString());
            }
        }
        if (!key.reset()) {
            folders.remove(key);
        }
        return saved;
    }

    /** A source, a page or a test — not a swap file, a backup or a snapshot ApprovalTests received. */
    private boolean counts(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith(".") || name.endsWith("~") || name.endsWith(".swp") || name.endsWith(".swx")
                || name.matches("\\d+") || name.contains(".received.")) {
            return false;
        }
        boolean inJavaFolder = path.startsWith(chapter.mainJava()) || path.startsWith(chapter.testJava());
        return !inJavaFolder || name.endsWith(".java");
    }

    private void watch(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path folder : walk.filter(Files::isDirectory).toList()) {
                folders.put(folder.register(events, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            events.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

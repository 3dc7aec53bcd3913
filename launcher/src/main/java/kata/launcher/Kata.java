package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The learner's launcher, behind the {@code ./kata} script: {@code status} (the default), {@code watch},
 * {@code hint}, {@code reset} and {@code solution}; a workshop's {@code room}, {@code join} and {@code leave}.
 * ({@code ./kata verify} is the script's own.)
 */
public final class Kata {
    static final String USAGE = """
            ./kata                      where you are: each chapter solved, in progress or not started; what is next
            ./kata watch [NN-name]      run a chapter's tests, and again on every save (the next chapter if none given)
            ./kata hint [NN-name]       the next hint for the first failing test, one step at a time
            ./kata reset NN-name        put the chapter's stub back (asks first; keeps your files in .kata/backup/)
            ./kata solution NN-name     the reference solution, as a diff against your code
            ./kata mistakes NN-name     once you solved it: the ways people get the chapter wrong
            ./kata mistakes NN-name ID  watch the tests catch one of them, in your code (your files stay as they are)
            ./kata lang zh|en           the language of the lessons, hints and failure pointers (中文: ./kata lang zh)
            ./kata room [--port P] [--save room.json]
                                        a workshop leader: open a room and its live board of every pair (Ctrl-C closes it)
            ./kata join URL CODE        a pair in a workshop: report each run to the leader's board (asks your name once)
            ./kata leave                stop reporting to the room
            ./kata verify               prove the kata valid (for kata authors and CI)
            """;

    private final Session session;
    private final Terminal terminal;
    /** Reports each recorded run to the workshop room this clone joined ({@code ./kata join}); null when none. */
    private final RoomCommands.Reporting room;

    Kata(Session session, Terminal terminal) {
        this.session = session;
        this.terminal = terminal;
        this.room = RoomCommands.reportRuns(session, terminal).orElse(null);
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("kata.root", ".")).toAbsolutePath().normalize();
        Terminal terminal = Terminal.detect();
        int exit;
        try {
            exit = new Kata(Session.inThisJvm(root), terminal).run(List.of(args));
        } catch (UsageError e) {
            terminal.println(e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }

    int run(List<String> args) {
        try {
            return command(args);
        } finally {
            if (room != null) {
                room.finish(); // a report still on its way: at most a second, then the JVM may end
            }
        }
    }

    private int command(List<String> args) {
        String command = args.isEmpty() ? "status" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        switch (command) {
            case "status" -> status();
            case "watch" -> watch(rest);
            case "hint" -> hint(rest);
            case "reset" -> reset(rest);
            case "solution" -> solution(rest);
            case "mistakes" -> {
                return mistakes(rest);
            }
            case "verify" -> {
                return new Verify(this, terminal, session.root(), maven()).run();
            }
            case "lang" -> lang(rest);
            case "room" -> {
                return new RoomCommands(session, terminal).room(rest);
            }
            case "join" -> {
                return new RoomCommands(session, terminal).join(rest);
            }
            case "leave" -> new RoomCommands(session, terminal).leave();
            case "help", "-h", "--help" -> terminal.print(USAGE);
            default -> throw new UsageError("Unknown command '" + command + "'. The commands:\n" + USAGE);
        }
        return 0;
    }

    void status() {
        Map<Chapter, Optional<ChapterRun>> standings = standings();
        terminal.print(new StatusTable(terminal).render(standings, session.next(standings)));
    }

    private Map<Chapter, Optional<ChapterRun>> standings() {
        Map<Chapter, Optional<ChapterRun>> standings = new LinkedHashMap<>();
        for (Chapter chapter : session.catalog().chapters()) {
            standings.put(chapter, session.current(chapter));
        }
        return standings;
    }

    private void watch(List<String> rest) {
        Chapter chapter = chapterOrNext(rest);
        try (Watcher watcher = new Watcher(session, chapter, terminal, run -> { })) {
            watcher.run();
        }
    }

    /** The next step of the hints for the chapter's first failing test; each call shows one more. */
    void hint(List<String> rest) {
        Chapter chapter = chapterOrNext(rest);
        Hints hints = Hints.of(chapter);
        Optional<ChapterRun> run = session.current(chapter);
        if (run.isPresent() && run.get().solved()) {
            terminal.println(terminal.say("Every test of " + chapter.name() + " passes: no hint needed. See where you are: ./kata",
                    chapter.name() + " 的测试全部通过，不需要提示了。看看进度：./kata"));
            return;
        }
        if (run.isPresent() && !run.get().compiled()) {
            terminal.println(chapter.name() + terminal.say(" does not compile yet; the compiler says:", " 还编译不通过；编译器说："));
            run.get().compileErrors().forEach(error -> terminal.println("  " + error));
            return;
        }
        Optional<String> test = run.map(r -> r.firstFailure(hints).map(TestOutcome::test))
                .orElseGet(() -> hints.tests().stream().findFirst());
        if (test.isEmpty()) {
            terminal.println(chapter.name() + " has no hints. Its failures say which section of its lesson to read.");
            return;
        }
        int shown = session.progress().hintsShown(chapter.name(), test.get());
        Optional<RunReport.HintStep> step = RunReport.HintStep.of(hints, test.get(), shown + 1);
        if (step.isEmpty()) {
            terminal.println(test.get() + " has no hints. Its failure says which section of the lesson to read.");
            return;
        }
        RunReport.HintStep hint = step.get();
        terminal.println(terminal.bold(terminal.say("Hint ", "提示 ") + hint.number() + terminal.say(" of ", " / ") + hint.of()
                + " — " + hint.test()) + " (" + chapter.name() + ")");
        terminal.println("  " + hint.text().replace("\n", "\n  "));
        if (hint.number() < hint.of()) {
            terminal.println(terminal.dim(terminal.say("Try it, then run the tests. Still stuck? ./kata hint " + chapter.name()
                    + " shows the next step.", "试一试，再运行测试。还是卡住？./kata hint " + chapter.name() + " 给出下一步。")));
        } else {
            terminal.println(terminal.dim(terminal.say("That was the last step for this test. The lesson: chapters/",
                    "这是这个测试的最后一步提示。课文：chapters/") + chapter.name() + "/" + terminal.lesson()
                    + terminal.say(" (the failure names the section).", "（失败信息里写着是哪一节）。")));
        }
        session.progress().hintShown(chapter.name(), hint.test(), hint.number());
        if (room != null && run.isPresent()) {
            room.report(run.get()); // the hint steps taken changed
        }
    }

    /** Puts the chapter's {@code src/main} back as it is in git's HEAD, after keeping a copy of the learner's. */
    void reset(List<String> rest) {
        if (rest.stream().noneMatch(a -> !a.startsWith("--"))) {
            throw new UsageError("Which chapter? ./kata reset NN-name");
        }
        Chapter chapter = session.catalog().require(rest.stream().filter(a -> !a.startsWith("--")).findFirst().get());
        Path main = chapter.main();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = session.root().resolve(".kata/backup").resolve(chapter.name() + "-" + stamp);
        Path shown = session.root().relativize(main);
        if (session.git().run("cat-file", "-e", "HEAD:" + shown.toString().replace('\\', '/')).exitCode() != 0) {
            throw new UsageError("git's HEAD has no " + shown + " to reset to (is this a clone of the kata?)");
        }
        if (!rest.contains("--yes")) {
            terminal.print("Reset " + shown + " to the stub in git's HEAD? Your files are copied to "
                    + session.root().relativize(backup) + " first. [y/N] ");
            String answer = terminal.readLine().strip().toLowerCase(java.util.Locale.ROOT);
            if (!answer.equals("y") && !answer.equals("yes")) {
                terminal.println("Nothing changed.");
                return;
            }
        }
        copyTree(main, backup.resolve("src/main"));
        ChapterBuild.clean(main);
        session.git().restore(main);
        terminal.println("Reset " + shown + " to the stub. Your files are in " + session.root().relativize(backup) + "/src/main.");
    }

    /** The reference solution as a diff against the learner's code: − is yours, + is the solution's. */
    void solution(List<String> rest) {
        if (rest.isEmpty()) {
            throw new UsageError("Which chapter? ./kata solution NN-name");
        }
        Chapter chapter = session.catalog().require(rest.get(0));
        Path root = session.root();
        Git.Result diff = session.git().run("diff", "--no-index", "--color=" + (terminal.fancy() ? "always" : "never"),
                "--", root.relativize(chapter.main()).toString(), root.relativize(chapter.solutionMain()).toString());
        if (diff.exitCode() == 0) {
            terminal.println("Your " + root.relativize(chapter.main()) + " is the same as the reference solution.");
        } else if (diff.exitCode() == 1) {
            terminal.println(terminal.bold("The reference solution of " + chapter.name())
                    + " against your code (- yours, + the solution's):");
            terminal.print(diff.output());
        } else {
            throw new UsageError("git could not compare the folders: " + diff.output().strip());
        }
    }

    /**
     * {@code mistakes NN-name}: the chapter's catalog of mistakes, once it is solved (before, it gives
     * answers away). {@code mistakes NN-name ID}: that mistake applied to a copy of the learner's code (or of
     * the solution, where the learner's code differs too much), and the tests that catch it.
     * {@code mistakes --check [NN-name…] [--all-tests]}: for authors and {@code ./kata verify}, every catalog
     * proved rejected; writes {@code target/kata/mistakes.tsv} for the validity report.
     */
    int mistakes(List<String> rest) {
        if (rest.contains("--check")) {
            return checkMistakes(rest.stream().filter(a -> !a.startsWith("--")).toList(), !rest.contains("--all-tests"));
        }
        if (rest.isEmpty()) {
            throw new UsageError("Which chapter? ./kata mistakes NN-name");
        }
        Chapter chapter = session.catalog().require(rest.get(0));
        List<Mistake> catalog = Mistake.catalog(chapter.mistakes());
        if (catalog.isEmpty()) {
            terminal.println(chapter.name() + " has no catalog of mistakes yet.");
            return 0;
        }
        Optional<ChapterRun> run = session.current(chapter);
        if (!rest.contains("--spoil") && (run.isEmpty() || !run.get().solved())) {
            terminal.println("Solve " + chapter.name() + " first: its mistakes give its answers away. (Where you are: ./kata)");
            return 1;
        }
        if (rest.size() == 1 || rest.get(1).startsWith("--")) {
            terminal.println(terminal.bold("The ways people get " + chapter.name() + " wrong") + " (" + catalog.size() + ")");
            for (Mistake mistake : catalog) {
                terminal.println("");
                terminal.println(terminal.bold(mistake.id()) + ": " + mistake.title());
                terminal.println("  thinking: " + mistake.thinking());
                terminal.println("  breaks:   " + mistake.breaks());
                if (!mistake.caughtBy().isEmpty()) {
                    terminal.println("  caught by " + String.join(", ", mistake.caughtBy()));
                }
            }
            terminal.println("");
            terminal.println(terminal.dim("Watch the tests catch one, in a copy of your code: ./kata mistakes " + chapter.name() + " ID"));
            return 0;
        }
        Mistake mistake = catalog.stream().filter(m -> m.id().equals(rest.get(1))).findFirst()
                .orElseThrow(() -> new UsageError("There is no mistake '" + rest.get(1) + "' in " + chapter.name()
                        + ". They are: " + String.join(", ", catalog.stream().map(Mistake::id).toList())));
        Path base = chapter.main();
        String whose = "your code";
        if (!appliesTo(mistake, chapter.dir())) {
            base = chapter.solutionMain();
            whose = "the reference solution (your code differs where this mistake is made)";
        }
        terminal.println("Making the mistake '" + mistake.id() + "' in a copy of " + whose + ", and running the tests…");
        MistakeCheck.Verdict verdict = session.mistakeCheck(1)
                .check(chapter, base, List.of(mistake), false, v -> { }).get(0);
        terminal.println(switch (verdict.kind()) {
            case REJECTED -> terminal.green("Caught") + " by " + verdict.detail() + ", pointing to " + mistake.breaks() + ".";
            default -> terminal.red(verdict.kind().words) + ": " + verdict.detail();
        });
        terminal.println(terminal.dim("Your files are unchanged."));
        return 0;
    }

    private static boolean appliesTo(Mistake mistake, Path chapterDir) {
        try {
            Path copy = Files.createTempDirectory("kata-mistake");
            try {
                MistakeCheck.copyTree(chapterDir.resolve("src/main"), copy.resolve("src/main"));
                mistake.applyTo(copy);
                return true;
            } catch (IllegalStateException | UncheckedIOException e) {
                return false;
            } finally {
                ChapterBuild.clean(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How to run Maven: what the starter chose ({@code kata.mvn}), through cmd.exe when it is a .cmd on Windows. */
    static List<String> maven() {
        String mvn = System.getProperty("kata.mvn", "mvn");
        String lower = mvn.toLowerCase(java.util.Locale.ROOT);
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")
                && (lower.endsWith(".cmd") || lower.endsWith(".bat")) ? List.of("cmd.exe", "/c", mvn) : List.of(mvn);
    }

    /** {@code lang zh} or {@code lang en}: the language of the lessons, hints and pointers, kept in {@code .kata/lang}. */
    void lang(List<String> rest) {
        Path file = session.root().resolve(".kata/lang");
        if (rest.isEmpty()) {
            terminal.println(kata.harness.LessonText.language().equals("zh") ? "zh: 课文、提示和失败下的指引都是中文。"
                    : "en: lessons, hints and pointers in English. ./kata lang zh switches to Chinese.");
            return;
        }
        String wanted = rest.get(0).toLowerCase(java.util.Locale.ROOT);
        if (!wanted.equals("zh") && !wanted.equals("en")) {
            throw new UsageError("The languages are en and zh: ./kata lang zh");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, wanted + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("kata.lang", wanted);
        terminal.println(wanted.equals("zh") ? "好的：从现在起，课文（README.zh.md）、提示（hints.zh.md）和每个失败下的指引都用中文，"
                + "mvn test 和 ./kata watch 都是。换回英文：./kata lang en"
                : "Lessons, hints and pointers are in English now, in mvn test and ./kata watch alike. 中文：./kata lang zh");
    }

    int checkMistakes(List<String> asked, boolean onlyNamedTests) {
        List<Chapter> chapters = asked.isEmpty() ? session.catalog().chapters()
                : asked.stream().map(session.catalog()::require).toList();
        long started = System.nanoTime();
        MistakeCheck check = session.mistakeCheck(Integer.getInteger("kata.mistakes.sideBySide", 8));
        List<MistakeCheck.Catalog> catalogs = new ArrayList<>();
        for (Chapter chapter : chapters) {
            catalogs.add(new MistakeCheck.Catalog(chapter, chapter.solutionMain(), Mistake.catalog(chapter.mistakes())));
        }
        terminal.println(catalogs.stream().map(c -> c.chapter().name() + " " + c.mistakes().size())
                .collect(java.util.stream.Collectors.joining(", ", "   ", " mistakes, " + check.sideBySide() + " side by side")));
        List<MistakeCheck.Verdict> all = check.checkAll(catalogs, onlyNamedTests, verdict ->
                terminal.println(String.format("   %-9s %-13s %-34s %5.1f s  %s",
                        verdict.rejected() ? "rejected" : "NOT", verdict.chapter(), verdict.mistake().id(), verdict.millis() / 1000.0,
                        verdict.rejected() ? "by " + verdict.detail() : verdict.kind().words + ": " + verdict.detail())));
        Path report = session.root().resolve("target/kata/mistakes.tsv");
        try {
            Files.createDirectories(report.getParent());
            StringBuilder tsv = new StringBuilder();
            for (MistakeCheck.Verdict verdict : all) {
                tsv.append(verdict.chapter()).append('\t').append(verdict.mistake().id()).append('\t')
                        .append(verdict.kind().name()).append('\t').append(verdict.detail().replaceAll("[\t\n]", " "))
                        .append('\t').append(verdict.millis()).append('\n');
            }
            Files.writeString(report, tsv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long rejected = all.stream().filter(MistakeCheck.Verdict::rejected).count();
        terminal.println(String.format("mistakes: %d of %d rejected in %.0f s", rejected, all.size(),
                (System.nanoTime() - started) / 1e9));
        return rejected == all.size() ? 0 : 1;
    }

    private Chapter chapterOrNext(List<String> rest) {
        if (!rest.isEmpty()) {
            return session.catalog().require(rest.get(0));
        }
        return session.next(standings()).or(() -> session.catalog().chapters().stream().findFirst())
                .orElseThrow(() -> new UsageError("There are no chapters under " + session.root().resolve("chapters")));
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

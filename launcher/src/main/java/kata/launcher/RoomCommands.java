package kata.launcher;

import java.net.BindException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import kata.launcher.room.RoomConfig;
import kata.launcher.room.RoomReport;
import kata.launcher.room.RoomReporter;
import kata.launcher.room.RoomServer;

/**
 * The workshop room's commands: {@code ./kata room} (the leader), {@code ./kata join URL CODE} and
 * {@code ./kata leave} (a pair), and the reporting of every recorded run while the clone is in a room.
 */
final class RoomCommands {
    static final int DEFAULT_PORT = 8765;

    private final Session session;
    private final Terminal terminal;

    RoomCommands(Session session, Terminal terminal) {
        this.session = session;
        this.terminal = terminal;
    }

    /** The reporting of a clone that joined a room: each recorded run, and a run again when its hint count changed. */
    static final class Reporting {
        private final RoomReporter reporter;
        private final RoomCommands commands;
        private final String name;

        private Reporting(RoomReporter reporter, RoomCommands commands, String name) {
            this.reporter = reporter;
            this.commands = commands;
            this.name = name;
        }

        /** Sends in the background and returns at once. */
        void report(ChapterRun run) {
            reporter.send(commands.report(run, name));
        }

        /** Waits (about a second at most) for reports still on their way, before the JVM ends. */
        void finish() {
            reporter.finish();
        }
    }

    /**
     * When this clone joined a room: reports every recorded run from now on, in the background, through the
     * session's one hook; empty when the clone is in no room.
     */
    static Optional<Reporting> reportRuns(Session session, Terminal terminal) {
        RoomConfig room = RoomConfig.load(session.root());
        if (!room.inRoom()) {
            return Optional.empty();
        }
        RoomReporter reporter = new RoomReporter(room, problem -> terminal.println(terminal.dim(
                terminal.say("(The room's board did not get this run: ", "（工作坊看板没有收到这次运行：") + problem
                        + terminal.say(".)", "。）"))));
        Reporting reporting = new Reporting(reporter, new RoomCommands(session, terminal), room.name().orElseThrow());
        session.afterEachRun(reporting::report);
        return Optional.of(reporting);
    }

    /** What the room gets of a run: the chapter, green/total, the first failing test, hint steps, when. Nothing else. */
    RoomReport report(ChapterRun run, String name) {
        Chapter chapter = session.catalog().require(run.chapter());
        String failing = run.firstFailure(Hints.of(chapter)).map(TestOutcome::test).orElse(null);
        return new RoomReport(name, run.chapter(), (int) run.passed(), run.total(), failing,
                session.progress().hintsShown(run.chapter()), Instant.now());
    }

    /** {@code ./kata room [--port P] [--save room.json]}: opens the room, prints the join line, and stays until Ctrl-C. */
    int room(List<String> rest) {
        RoomServer server = open(rest);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "room-close"));
        try {
            new CountDownLatch(1).await(); // until Ctrl-C: the shutdown hook closes (and saves) the room
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Opens the room and says how to join it; the caller closes it. */
    RoomServer open(List<String> rest) {
        int port = DEFAULT_PORT;
        Path save = null;
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            if (i + 1 >= rest.size() || !(option.equals("--port") || option.equals("--save"))) {
                throw new UsageError("./kata room [--port P] [--save room.json]");
            }
            String value = rest.get(++i);
            if (option.equals("--port")) {
                if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
                    throw new UsageError("--port takes a port number, e.g. --port " + DEFAULT_PORT);
                }
                port = Integer.parseInt(value);
            } else {
                save = session.root().resolve(value).normalize();
            }
        }
        if (save != null && save.equals(RoomConfig.fileIn(session.root()).normalize())) {
            throw new UsageError(".kata/room.json is this clone's own setting as a participant: save the room in "
                    + "another file, e.g. --save room.json");
        }
        List<String> chapters = session.catalog().chapters().stream().map(Chapter::name).toList();
        RoomServer server;
        try {
            server = RoomServer.open(RoomServer.Options.defaults().listeningOn("0.0.0.0", port).withChapters(chapters)
                    .savedIn(save));
        } catch (IllegalStateException e) {
            throw new UsageError(e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof BindException) {
                throw new UsageError("Port " + port + " is taken on this machine: ./kata room --port " + (port + 1));
            }
            throw e;
        }
        String base = "http://" + RoomServer.lanAddress() + ":" + server.port();
        terminal.println(terminal.bold(terminal.say("Workshop room " + server.code() + " is open",
                "工作坊房间 " + server.code() + " 已开放"))
                + (server.restoredRows() > 0 ? terminal.say(" (" + server.restoredRows() + " rows back from ",
                "（从 ") + shown(save) + terminal.say(")", " 恢复了 " + server.restoredRows() + " 行）") : "") + ".");
        terminal.println(terminal.say("Pairs join with:  ", "各组加入：  ") + terminal.bold("./kata join " + base + " " + server.code()));
        terminal.println(terminal.say("The board:        ", "看板：      ") + base + "/"
                + terminal.say("   (full screen on the projector)", "   （投影仪上全屏）"));
        List<String> others = RoomServer.lanAddresses().stream().skip(1).toList();
        if (!others.isEmpty()) {
            terminal.println(terminal.dim(terminal.say("If the pairs cannot reach " + RoomServer.lanAddress()
                    + ", this machine is also " + String.join(", ", others) + ".", "如果各组连不上 "
                    + RoomServer.lanAddress() + "，本机的其他地址：" + String.join("、", others) + "。")));
        }
        terminal.println(terminal.dim(terminal.say("The room gets each pair's name, chapter, tests green/total, first failing test, "
                + "hint steps and the time of each run; never code. ", "房间只收到每组的名字、章节、通过/总测试数、第一个失败的测试、"
                + "看过的提示步数和运行时间；从不收到代码。")
                + (save == null ? terminal.say("Nothing is stored on disk (--save room.json keeps the rows across a restart). ",
                        "不在磁盘上保存任何东西（--save room.json 可在重启后保留各行）。")
                        : terminal.say("Rows are saved in " + shown(save) + ". ", "各行保存在 " + shown(save) + "。"))
                + terminal.say("Ctrl-C closes the room.", "Ctrl-C 关闭房间。")));
        return server;
    }

    /** A file as the leader named it: inside the clone relative to it, elsewhere in full. */
    private Path shown(Path file) {
        return file.startsWith(session.root()) ? session.root().relativize(file) : file;
    }

    /** {@code ./kata join URL CODE [--name NAME]}: asks the name once, says hello to the room, and keeps the room. */
    int join(List<String> rest) {
        List<String> positional = new ArrayList<>();
        String name = null;
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--name") && i + 1 < rest.size()) {
                name = rest.get(++i).strip();
            } else {
                positional.add(rest.get(i));
            }
        }
        if (positional.size() != 2) {
            throw new UsageError("./kata join URL CODE — the line the leader's terminal shows, e.g. "
                    + "./kata join http://192.168.1.20:8765 K7QF");
        }
        String url = roomUrl(positional.get(0));
        String code = positional.get(1).strip().toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z0-9]{4,8}")) {
            throw new UsageError("The room code is the 4 letters and digits at the end of the leader's join line, e.g. K7QF");
        }
        RoomConfig before = RoomConfig.load(session.root());
        if (name == null) {
            name = before.name().orElse(null);
        }
        if (name == null) {
            terminal.print(terminal.say("Your name on the board (a pair: both names, at most 40 characters): ",
                    "你在看板上的名字（两人一组就写两个名字，最多 40 个字符）："));
            name = terminal.readLine().strip();
        }
        if (name.isEmpty() || name.length() > 40 || name.chars().anyMatch(Character::isISOControl)) {
            throw new UsageError("A name of 1 to 40 characters, please: ./kata join " + url + " " + code + " --name \"Ada & Bob\"");
        }
        RoomConfig joined = before.joined(url, code, name);
        RoomReporter.Outcome hello = new RoomReporter(joined, problem -> { }).send(standing(name)).join();
        if (hello.delivered()) {
            joined.save(session.root());
            terminal.println(terminal.say("Joined the room at " + url + " as " + name + ": you are on the board.",
                    "已加入 " + url + " 的房间，名字是 " + name + "：你已在看板上。"));
        } else if (hello.status() == 0) {
            joined.save(session.root());
            terminal.println(terminal.say("Joined, but " + hello.problem() + ": your runs report once it answers.",
                    "已加入，但是" + hello.problem() + "：房间有回应后，你的运行就会报告过去。"));
        } else {
            terminal.println(terminal.say("Not joined: " + hello.problem() + ".", "没有加入：" + hello.problem() + "。"));
            return 1;
        }
        terminal.println(terminal.dim(terminal.say("From now on every run of ./kata watch and ./kata tells the room your name, "
                + "the chapter, tests green/total, the first failing test, hint steps taken and when — never code or "
                + "file names. ./kata leave stops it.", "从现在起，./kata watch 和 ./kata 的每次运行都会告诉房间：你的名字、章节、"
                + "通过/总测试数、第一个失败的测试、看过的提示步数和时间——从不发送代码或文件名。./kata leave 停止报告。")));
        return 0;
    }

    /** {@code ./kata leave}: no more reports; the name stays for the next join. */
    void leave() {
        RoomConfig room = RoomConfig.load(session.root());
        if (!room.inRoom()) {
            terminal.println(terminal.say("You are in no room: nothing is reported.", "你不在任何房间里：什么都不会报告。"));
            return;
        }
        room.left().save(session.root());
        terminal.println(terminal.say("Left the room at " + room.url() + ": your runs are no longer reported.",
                "已离开 " + room.url() + " 的房间：你的运行不再报告。"));
    }

    /** Where the learner stands, from what is recorded (no test runs): the first chapter not solved yet. */
    private RoomReport standing(String name) {
        List<Chapter> chapters = session.catalog().chapters();
        if (chapters.isEmpty()) {
            throw new UsageError("There are no chapters under " + session.root().resolve("chapters"));
        }
        for (Chapter chapter : chapters) {
            Optional<ChapterRun> last = session.progress().lastRun(chapter.name());
            if (last.isEmpty()) {
                return new RoomReport(name, chapter.name(), 0, 0, null, session.progress().hintsShown(chapter.name()),
                        Instant.now());
            }
            if (!last.get().solved()) {
                return report(last.get(), name);
            }
        }
        Chapter lastOne = chapters.get(chapters.size() - 1);
        return report(session.progress().lastRun(lastOne.name()).orElseThrow(), name);
    }

    /** {@code http://192.168.1.20:8765}, from what the leader's join line says (a trailing slash is fine). */
    private static String roomUrl(String given) {
        try {
            URI uri = new URI(given.strip());
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (!web || uri.getHost() == null || !(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null) {
                throw new URISyntaxException(given, "not a room's address");
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
                    + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            throw new UsageError("'" + given + "' is not a room's address; it looks like http://192.168.1.20:8765");
        }
    }
}

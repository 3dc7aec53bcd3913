package kata.launcher;

import java.util.Map;
import java.util.Optional;

/** {@code ./kata status}: each chapter solved, in progress or not started, and the one to do next. */
final class StatusTable {
    private final Terminal terminal;

    StatusTable(Terminal terminal) {
        this.terminal = terminal;
    }

    String render(Map<Chapter, Optional<ChapterRun>> standings, Optional<Chapter> next) {
        long solved = standings.values().stream().filter(r -> r.map(ChapterRun::solved).orElse(false)).count();
        int width = standings.keySet().stream().mapToInt(c -> c.name().length()).max().orElse(10) + 3;
        StringBuilder text = new StringBuilder();
        text.append(terminal.bold("Realtime Web Kata")).append(" — ").append(terminal.say(
                solved + " of " + standings.size() + " chapters solved", "已完成 " + solved + " / " + standings.size() + " 章"))
                .append("\n\n");
        text.append("  ").append(terminal.dim(pad(terminal.say("chapter", "章节"), width) + terminal.say("status", "状态"))).append('\n');
        standings.forEach((chapter, run) -> {
            String state = state(run);
            text.append("  ").append(pad(chapter.name(), width)).append(state);
            if (next.isPresent() && next.get().equals(chapter)) {
                text.append("  ").append(terminal.bold(terminal.arrow() + terminal.say(" next", " 下一章")));
            }
            text.append('\n');
        });
        text.append('\n');
        if (next.isEmpty()) {
            text.append(terminal.say("Every chapter is solved. Compare yours with the reference: ./kata solution NN-name",
                    "每一章都完成了。和参考答案比一比：./kata solution NN-name")).append('\n');
        } else {
            String name = next.get().name();
            boolean fresh = solved == 0 && standings.get(next.get()).map(r -> r.passed() == 0).orElse(true);
            text.append(fresh ? terminal.say("Start here: ", "从这里开始：") : terminal.say("Next: ", "下一章："))
                    .append(terminal.bold(name)).append('\n')
                    .append(terminal.say("  1. read the lesson:   ", "  1. 读课文：       ")).append("chapters/").append(name)
                    .append('/').append(terminal.lesson()).append('\n')
                    .append(terminal.say("  2. run its tests:     ", "  2. 运行它的测试： ")).append("./kata watch ").append(name)
                    .append(terminal.say("   (they rerun on every save)", "   （每次保存都会重新运行）")).append('\n')
                    .append(terminal.say("  3. edit chapters/" + name + "/src/main until they pass; stuck? ./kata hint",
                            "  3. 修改 chapters/" + name + "/src/main，直到测试通过；卡住了？./kata hint")).append('\n');
        }
        text.append(terminal.dim(terminal.say("All the commands: ./kata help", "全部命令：./kata help"))).append('\n');
        return text.toString();
    }

    private String state(Optional<ChapterRun> run) {
        if (run.isEmpty()) {
            return terminal.dim(terminal.symbol("·") + terminal.say("not started", "未开始"));
        }
        ChapterRun r = run.get();
        if (!r.compiled()) {
            return terminal.red(terminal.symbol("✗") + terminal.say("in progress, does not compile", "进行中，编译不通过"));
        }
        if (r.solved()) {
            return terminal.green(terminal.symbol("✓") + terminal.say("solved (" + r.total() + " tests)", "已完成（" + r.total() + " 个测试）"));
        }
        if (r.passed() == 0) {
            return terminal.dim(terminal.symbol("·") + terminal.say("not started (0 of " + r.total() + " tests pass)",
                    "未开始（" + r.total() + " 个测试中 0 个通过）"));
        }
        return terminal.yellow(terminal.symbol("◐") + terminal.say("in progress (" + r.passed() + " of " + r.total() + " tests pass)",
                "进行中（" + r.total() + " 个测试中 " + r.passed() + " 个通过）"));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}

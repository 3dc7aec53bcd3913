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
        text.append(terminal.bold("Realtime Web Kata")).append(" — ").append(solved).append(" of ")
                .append(standings.size()).append(" chapters solved\n\n");
        text.append("  ").append(terminal.dim(pad("chapter", width) + "status")).append('\n');
        standings.forEach((chapter, run) -> {
            String state = state(run);
            text.append("  ").append(pad(chapter.name(), width)).append(state);
            if (next.isPresent() && next.get().equals(chapter)) {
                text.append("  ").append(terminal.bold(terminal.arrow() + " next"));
            }
            text.append('\n');
        });
        text.append('\n');
        if (next.isEmpty()) {
            text.append("Every chapter is solved. Compare yours with the reference: ./kata solution NN-name\n");
        } else {
            String name = next.get().name();
            boolean fresh = solved == 0 && standings.get(next.get()).map(r -> r.passed() == 0).orElse(true);
            text.append(fresh ? "Start here: " : "Next: ").append(terminal.bold(name)).append('\n')
                    .append("  1. read the lesson:   chapters/").append(name).append("/README.md\n")
                    .append("  2. run its tests:     ./kata watch ").append(name)
                    .append("   (they rerun on every save)\n")
                    .append("  3. edit chapters/").append(name).append("/src/main until they pass;")
                    .append(" stuck? ./kata hint\n");
        }
        text.append(terminal.dim("All the commands: ./kata help")).append('\n');
        return text.toString();
    }

    private String state(Optional<ChapterRun> run) {
        if (run.isEmpty()) {
            return terminal.dim(terminal.symbol("·") + "not started");
        }
        ChapterRun r = run.get();
        if (!r.compiled()) {
            return terminal.red(terminal.symbol("✗") + "in progress, does not compile");
        }
        if (r.solved()) {
            return terminal.green(terminal.symbol("✓") + "solved (" + r.total() + " tests)");
        }
        if (r.passed() == 0) {
            return terminal.dim(terminal.symbol("·") + "not started (0 of " + r.total() + " tests pass)");
        }
        return terminal.yellow(terminal.symbol("◐") + "in progress (" + r.passed() + " of " + r.total() + " tests pass)");
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}

package kata.launcher;

import java.util.List;
import java.util.Optional;

/**
 * A run as {@code ./kata watch} shows it, compact: a line per test, the first failure's message, the
 * hint for it, and how long the run took.
 */
final class RunReport {
    private final Terminal terminal;

    RunReport(Terminal terminal) {
        this.terminal = terminal;
    }

    /**
     * @param hintStep the step of the first failing test's hints to show (1 unless {@code ./kata hint}
     *                 showed more)
     */
    String render(ChapterRun run, Hints hints, HintStep hint) {
        StringBuilder text = new StringBuilder();
        if (!run.compiled()) {
            text.append(terminal.red(terminal.say("Does not compile:", "编译不通过："))).append('\n');
            for (String error : run.compileErrors()) {
                text.append("  ").append(error.replace("\n", "\n  ")).append('\n');
            }
            return text.toString();
        }
        List<TestOutcome> outcomes = run.inOrder(hints);
        for (TestOutcome outcome : outcomes) {
            text.append("  ").append(outcome.passed() ? terminal.passMark() : terminal.failMark()).append(' ')
                    .append(outcome.passed() ? outcome.test() : terminal.bold(outcome.test())).append('\n');
        }
        String count = terminal.say(run.passed() + " of " + run.total() + " tests pass",
                run.total() + " 个测试中 " + run.passed() + " 个通过");
        text.append('\n').append(run.solved() ? terminal.green(count + terminal.say(" — chapter " + run.chapter() + " solved!",
                " —— 第 " + run.chapter() + " 章完成！"))
                : terminal.yellow(count)).append('\n');
        Optional<TestOutcome> first = run.firstFailure(hints);
        if (first.isPresent()) {
            text.append('\n').append(terminal.bold(terminal.say("First failure: ", "第一个失败："))).append(first.get().test()).append('\n');
            text.append(indent(first.get().message())).append('\n');
            if (hint != null) {
                text.append('\n').append(terminal.bold(terminal.say("Hint " + hint.number() + " of " + hint.of() + ": ",
                        "提示 " + hint.number() + " / " + hint.of() + "：")))
                        .append(indent(hint.text()).strip()).append('\n');
                if (hint.number() < hint.of()) {
                    text.append(terminal.dim(terminal.say("  (next step: ./kata hint ", "  （下一步：./kata hint ") + run.chapter()
                            + terminal.say(")", "）"))).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String indent(String message) {
        return "  " + (message == null ? "" : message.strip().replace("\n", "\n  "));
    }

    /** One step of a test's hints: number {@code number} of {@code of}. */
    record HintStep(String test, int number, int of, String text) {
        static Optional<HintStep> of(Hints hints, String test, int number) {
            List<String> steps = hints.steps(test);
            if (steps.isEmpty()) {
                return Optional.empty();
            }
            int shown = Math.max(1, Math.min(number, steps.size()));
            return Optional.of(new HintStep(test, shown, steps.size(), steps.get(shown - 1)));
        }
    }
}

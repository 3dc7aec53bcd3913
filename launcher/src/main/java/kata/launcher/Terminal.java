package kata.launcher;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Where the launcher speaks: colors and symbols on a terminal, plain text when piped or when
 * {@code NO_COLOR} is set (the {@code kata} script tells which with {@code -Dkata.tty}).
 */
final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final BufferedReader in;
    private final boolean fancy;
    private final boolean chinese;

    Terminal(PrintStream out, BufferedReader in, boolean fancy) {
        this(out, in, fancy, false);
    }

    Terminal(PrintStream out, BufferedReader in, boolean fancy, boolean chinese) {
        this.out = out;
        this.in = in;
        this.fancy = fancy;
        this.chinese = chinese;
    }

    /** A plain terminal for tests and pipes: no escapes, no symbols. */
    static Terminal plain(PrintStream out, BufferedReader in) {
        return new Terminal(out, in, false);
    }

    static Terminal detect() {
        String told = System.getProperty("kata.tty");
        boolean tty = told != null ? Boolean.parseBoolean(told) : System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            tty = false;
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return new Terminal(out, in, tty, kata.harness.LessonText.language().equals("zh"));
    }

    /** The same terminal, speaking Chinese (for tests). */
    Terminal inChinese() {
        return new Terminal(out, in, fancy, true);
    }

    /** {@code english} or {@code chinese}, in the learner's language ({@code ./kata lang}). */
    String say(String english, String chinese) {
        return this.chinese ? chinese : english;
    }

    /** The lesson's file name in the learner's language. */
    String lesson() {
        return chinese ? "README.zh.md" : "README.md";
    }

    boolean fancy() {
        return fancy;
    }

    void println(String line) {
        out.println(line);
    }

    void println() {
        out.println();
    }

    void print(String text) {
        out.print(text);
        out.flush();
    }

    /** The learner's answer to a question, or "" at the end of input. */
    String readLine() {
        try {
            String line = in.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String passMark() {
        return fancy ? green("✓") : "pass";
    }

    String failMark() {
        return fancy ? red("✗") : "FAIL";
    }

    /** A symbol on a terminal, nothing in plain text. */
    String symbol(String symbol) {
        return fancy ? symbol + " " : "";
    }

    String arrow() {
        return fancy ? "←" : "<-";
    }

    String green(String text) {
        return color("32", text);
    }

    String red(String text) {
        return color("31", text);
    }

    String yellow(String text) {
        return color("33", text);
    }

    String bold(String text) {
        return color("1", text);
    }

    String dim(String text) {
        return color("2", text);
    }

    private String color(String code, String text) {
        return fancy ? "\u001b[" + code + "m" + text + RESET : text;
    }
}

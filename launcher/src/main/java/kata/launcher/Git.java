package kata.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The few things the launcher asks of git in the learner's clone. */
final class Git {
    private final Path root;

    Git(Path root) {
        this.root = root;
    }

    /** True when nothing under {@code path} differs from git's HEAD (no edits, no new files). */
    boolean untouched(Path path) {
        Result status = run("status", "--porcelain", "--", root.relativize(path).toString());
        return status.exitCode() == 0 && status.output().isBlank();
    }

    /** Puts {@code path} back as it is in git's HEAD. */
    void restore(Path path) {
        Result checkout = run("checkout", "HEAD", "--", root.relativize(path).toString());
        if (checkout.exitCode() != 0) {
            throw new UsageError("git could not restore " + root.relativize(path) + ": " + checkout.output().strip());
        }
    }

    record Result(int exitCode, String output) {
    }

    Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=off"));
        command.addAll(List.of(arguments));
        try {
            Process git = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            git.getOutputStream().close();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream in = git.getInputStream()) {
                in.transferTo(output);
            }
            return new Result(git.waitFor(), output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, "git is not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while git ran", e));
        }
    }
}

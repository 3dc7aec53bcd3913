package kata.launcher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The learner's progress, kept in {@code .kata/progress.json} in their clone (ignored by git): the last
 * result of each chapter's tests, with the fingerprint of the sources it ran on, and how many hint steps
 * of each test were shown.
 */
final class Progress {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The file's shape. */
    static final class Saved {
        Map<String, LastRun> chapters = new TreeMap<>();
        Map<String, Map<String, Integer>> hintsShown = new TreeMap<>();
    }

    static final class LastRun {
        String fingerprint;
        String ranAt;
        boolean compiled;
        List<TestOutcome> tests = new ArrayList<>();
        List<String> compileErrors = new ArrayList<>();
    }

    private final Path file;
    private Saved saved;

    private Progress(Path file, Saved saved) {
        this.file = file;
        this.saved = saved;
    }

    static Path fileIn(Path root) {
        return root.resolve(".kata/progress.json");
    }

    static Progress load(Path root) {
        Path file = fileIn(root);
        Saved saved = null;
        if (Files.exists(file)) {
            try {
                saved = GSON.fromJson(Files.readString(file), Saved.class);
            } catch (IOException | JsonParseException e) {
                saved = null; // A damaged file is only a cache: start again.
            }
        }
        if (saved == null) {
            saved = new Saved();
        }
        if (saved.chapters == null) {
            saved.chapters = new TreeMap<>();
        }
        if (saved.hintsShown == null) {
            saved.hintsShown = new TreeMap<>();
        }
        return new Progress(file, saved);
    }

    /** The last recorded run of {@code chapter}, as a {@link ChapterRun} without timings. */
    synchronized Optional<ChapterRun> lastRun(String chapter) {
        LastRun last = saved.chapters.get(chapter);
        if (last == null || last.tests == null) {
            return Optional.empty();
        }
        return Optional.of(new ChapterRun(chapter, last.fingerprint, List.copyOf(last.tests),
                last.compileErrors == null ? List.of() : List.copyOf(last.compileErrors), 0, 0));
    }

    synchronized void record(ChapterRun run) {
        LastRun last = new LastRun();
        last.fingerprint = run.fingerprint();
        last.ranAt = Instant.now().toString();
        last.compiled = run.compiled();
        last.tests = new ArrayList<>(run.outcomes());
        last.compileErrors = new ArrayList<>(run.compileErrors());
        saved.chapters.put(run.chapter(), last);
        save();
    }

    /** How many steps of {@code test}'s hints were shown so far (0 for none). */
    synchronized int hintsShown(String chapter, String test) {
        return saved.hintsShown.getOrDefault(chapter, Map.of()).getOrDefault(test, 0);
    }

    /** How many hint steps of the chapter's tests were shown so far, all tests together. */
    synchronized int hintsShown(String chapter) {
        return saved.hintsShown.getOrDefault(chapter, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized void hintShown(String chapter, String test, int step) {
        saved.hintsShown.computeIfAbsent(chapter, k -> new TreeMap<>()).put(test, step);
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, GSON.toJson(saved));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

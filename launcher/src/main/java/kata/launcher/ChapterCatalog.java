package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The kata's chapters in order: every {@code chapters/NN-name} folder with a {@code pom.xml}. */
final class ChapterCatalog {
    private final Path root;

    ChapterCatalog(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    List<Chapter> chapters() {
        try (Stream<Path> children = Files.list(root.resolve("chapters"))) {
            return children.filter(p -> p.getFileName().toString().matches("\\d\\d-.+"))
                    .filter(p -> Files.exists(p.resolve("pom.xml")))
                    .sorted()
                    .map(p -> new Chapter(p.getFileName().toString(), p,
                            root.resolve("solutions").resolve(p.getFileName())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 01-polling}, {@code 01}, {@code 1}, {@code polling} or {@code chapters/01-polling/}. */
    Optional<Chapter> find(String asked) {
        String wanted = asked.replaceAll("/+$", "").replaceFirst("^(\\./)?chapters/", "");
        return chapters().stream().filter(c -> c.name().equals(wanted)
                || c.name().startsWith(wanted.length() == 1 ? "0" + wanted + "-" : wanted + "-")
                || c.name().substring(3).equals(wanted)).findFirst();
    }

    Chapter require(String asked) {
        return find(asked).orElseThrow(() -> new UsageError("There is no chapter '" + asked + "'. The chapters are: "
                + String.join(", ", chapters().stream().map(Chapter::name).toList())));
    }
}

package kata.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * javac inside the launcher's JVM. One compiler and one file manager live as long as the launcher, so
 * the libraries' jars are opened once and a chapter's few sources compile in a fraction of a second.
 */
final class InProcessCompiler {
    private static final int MAX_ERRORS = 5;

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;

    InProcessCompiler() {
        javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new UsageError("This Java has no compiler (a JRE?): the kata needs a JDK 17.");
        }
        files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    /**
     * Compiles {@code sources} against {@code classPath} into {@code output}; an empty list means it
     * compiled, otherwise the errors as a learner reads them ({@code File.java:12: message}).
     */
    synchronized List<String> compile(List<Path> sources, List<Path> classPath, Path output) {
        if (sources.isEmpty()) {
            return List.of();
        }
        try {
            Files.createDirectories(output);
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, classPath);
            files.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        // No --release: the kata runs on a JDK 17 (Maven's build pins release 17), and reading the release's
        // symbol files costs time on every compile.
        List<String> options = List.of("-proc:none", "-implicit:none", "-Xlint:none",
                "-encoding", "UTF-8");
        boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                .call();
        if (ok) {
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(describe(d));
            }
        }
        if (errors.isEmpty()) {
            errors.add("javac failed without an error message");
        }
        if (errors.size() > MAX_ERRORS) {
            int more = errors.size() - MAX_ERRORS;
            errors = new ArrayList<>(errors.subList(0, MAX_ERRORS));
            errors.add("… and " + more + " more");
        }
        return errors;
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": ";
        return where + d.getMessage(Locale.ROOT);
    }
}

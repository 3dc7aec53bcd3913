package kata.boot;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kata's starter, the same on every system: {@code kata} (POSIX sh) and {@code kata.cmd} (Windows) run this
 * one file with {@code java KataBoot.java} (no compile step, nothing but a JDK 17 or newer). It has Maven build
 * the harness and the launcher once (and again only when a pom or the shared code changed), writes the
 * libraries' class path into {@code .kata/}, and starts the launcher ({@code kata.launcher.Kata}) in a JVM of its
 * own with the flags that JVM needs.
 *
 * <p>Maven is the system's {@code mvn} when there is one, otherwise the wrapper ({@code mvnw}, which fetches
 * Maven 3.9.16 once); {@code KATA_MVN} names another.
 */
public final class KataBoot {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        List<String> rest = List.of(args).subList(1, args.length);
        Path kata = root.resolve(".kata");
        Files.createDirectories(kata);
        Path classpath = kata.resolve("classpath");
        String mvn = maven(root);
        if (stale(root, classpath)) {
            System.err.println("Preparing the launcher (Maven builds the harness and lists the libraries; once)...");
            Path log = kata.resolve("build.log");
            // A chapter that does not compile yet must not stop the launcher: it reports that itself.
            List<String> command = new ArrayList<>(command(mvn));
            command.addAll(List.of("-B", "-ntp", "-q", "compile",
                    "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                    "-Dmaven.compiler.failOnError=false", "-Dmdep.outputFile=target/kata.classpath"));
            int exit = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start().waitFor();
            if (exit != 0) {
                System.out.print(Files.readString(log));
                System.err.println("Maven could not build the launcher (see above).");
                System.exit(1);
            }
            Set<String> entries = new LinkedHashSet<>();
            entries.add(root.resolve("launcher/target/classes").toString());
            entries.add(root.resolve("harness/target/classes").toString());
            List<Path> lists = new ArrayList<>(List.of(root.resolve("launcher/target/kata.classpath")));
            try (Stream<Path> chapters = Files.list(root.resolve("chapters"))) {
                chapters.map(c -> c.resolve("target/kata.classpath")).filter(Files::isRegularFile).sorted().forEach(lists::add);
            }
            for (Path list : lists) {
                for (String entry : Files.readString(list).strip().split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry.strip());
                    }
                }
            }
            Path next = kata.resolve("classpath.next");
            Files.write(next, entries, StandardCharsets.UTF_8);
            Files.move(next, classpath, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // An argument file: a long class path fits every system's command line (Windows' is short).
        List<String> entries = Files.readAllLines(classpath, StandardCharsets.UTF_8);
        Path argFile = kata.resolve("launcher.args");
        Files.writeString(argFile, classPathArgument(entries, File.pathSeparator));

        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", windows() ? "java.exe" : "java").toString());
        // C1 only: the launcher's work is short bursts (a compile, a few tests) that never reach the second JIT
        // tier's payoff; it warms up in a second instead of ten.
        java.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (Runtime.version().feature() >= 24) {
            // Undertow frees its direct buffers through sun.misc.Unsafe; JDK 24+ warns on the first call.
            java.add("--sun-misc-unsafe-memory-access=allow");
        }
        java.add("-Dkata.root=" + root);
        java.add("-Dkata.tty=" + terminal());
        java.add("-Dkata.mvn=" + mvn);
        java.add("-Dstdout.encoding=UTF-8");
        java.add("@" + argFile);
        java.add("kata.launcher.Kata");
        java.addAll(rest);
        System.exit(new ProcessBuilder(java).directory(root.toFile()).inheritIO().start().waitFor());
    }

    /** The Maven to run: {@code KATA_MVN}, the system's {@code mvn}, or the kata's wrapper. */
    static String maven(Path root) {
        return maven(root, System.getenv(), windows(), File.pathSeparator,
                mvn -> Files.isRegularFile(mvn) && Files.isExecutable(mvn));
    }

    /** The same, on a system described by its parameters (so that Windows' rules are tested on any system). */
    static String maven(Path root, java.util.Map<String, String> env, boolean windows, String pathSeparator,
            java.util.function.Predicate<Path> runnable) {
        String told = env.get("KATA_MVN");
        if (told != null && !told.isBlank()) {
            return told;
        }
        String path = env.get(windows ? env.keySet().stream().filter(k -> k.equalsIgnoreCase("PATH")).findFirst().orElse("PATH") : "PATH");
        if (path != null) {
            for (String dir : path.split(java.util.regex.Pattern.quote(pathSeparator))) {
                for (String name : windows ? List.of("mvn.cmd", "mvn.bat") : List.of("mvn")) {
                    Path mvn = root.getFileSystem().getPath(dir.isBlank() ? "." : dir).resolve(name);
                    if (runnable.test(mvn)) {
                        return mvn.toString();
                    }
                }
            }
        }
        return root.resolve(windows ? "mvnw.cmd" : "mvnw").toString();
    }

    /** How to run {@code mvn}: a .cmd runs through cmd.exe on Windows. */
    static List<String> command(String mvn) {
        return command(mvn, windows());
    }

    static List<String> command(String mvn, boolean windows) {
        String lower = mvn.toLowerCase(Locale.ROOT);
        return windows && (lower.endsWith(".cmd") || lower.endsWith(".bat")) ? List.of("cmd.exe", "/c", mvn) : List.of(mvn);
    }

    /**
     * A java argument file that sets the class path: entries joined with the system's separator, quoted, with
     * back-slashes doubled (in an argument file a back-slash escapes, and Windows paths are full of them).
     */
    static String classPathArgument(List<String> entries, String pathSeparator) {
        return "-cp \"" + String.join(pathSeparator, entries).replace("\\", "\\\\") + "\"\n";
    }

    /** Whether the launcher's build is older than a pom or the shared code it is built from. */
    static boolean stale(Path root, Path classpath) throws IOException {
        if (!Files.isRegularFile(classpath) || Files.size(classpath) == 0
                || !Files.isDirectory(root.resolve("launcher/target/classes/kata/launcher"))
                || !Files.isDirectory(root.resolve("chapters/common/target/classes/kata"))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(classpath);
        List<Path> sources = new ArrayList<>(List.of(root.resolve("pom.xml"), root.resolve(".mvn"),
                root.resolve("harness/pom.xml"), root.resolve("harness/src/main"), root.resolve("launcher/pom.xml"),
                root.resolve("launcher/src/main"), root.resolve("chapters/pom.xml"), root.resolve("chapters/common/src/main")));
        try (Stream<Path> chapters = Files.list(root.resolve("chapters"))) {
            chapters.map(c -> c.resolve("pom.xml")).filter(Files::isRegularFile).forEach(sources::add);
        }
        for (Path source : sources) {
            if (!Files.exists(source)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(source)) {
                if (walk.filter(Files::isRegularFile).anyMatch(f -> newer(f, built))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Whether the launcher may use colours and symbols: a terminal, no {@code NO_COLOR}, not {@code TERM=dumb}.
     * On Windows only a console that understands ANSI (Windows Terminal, or one that says so through TERM).
     */
    static boolean terminal() {
        return colours(System.getenv(), interactive(), windows());
    }

    static boolean colours(java.util.Map<String, String> env, boolean interactive, boolean windows) {
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty() || "dumb".equals(env.get("TERM")) || !interactive) {
            return false;
        }
        return !windows || env.get("WT_SESSION") != null || env.get("TERM") != null || "ON".equalsIgnoreCase(env.get("ConEmuANSI"));
    }

    /** A console on both ends; on JDK 22+ {@code System.console()} exists even when piped, so ask it. */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}

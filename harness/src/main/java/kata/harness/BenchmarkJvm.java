package kata.harness;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For benchmarks, not tests: the JVMs they run in. Maven's own JVM runs with the short-run flags of
 * {@code .mvn/jvm.config} (C1 only, the serial collector), which halve a learner's red run and would skew a
 * benchmark, which {@code exec:java} runs inside that very JVM. So a benchmark's {@code main} begins with
 *
 * <pre>
 * if (BenchmarkJvm.rerunAtFullSpeed(LongPollBenchmark.class, args, "peer", "serverJvmArgs")) {
 *     return;
 * }
 * </pre>
 *
 * and in such a JVM it runs again in a child JVM with the JDK's defaults, whose output is the benchmark's.
 */
public final class BenchmarkJvm {
    /** What {@code .mvn/jvm.config} adds; either one in this JVM's flags means a short-run JVM. */
    private static final List<String> SHORT_RUN_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private BenchmarkJvm() {
    }

    /**
     * In a JVM started with the short-run flags, runs {@code main} with {@code args} in a child JVM with the JDK's
     * defaults, passing on the system properties named (given to Maven with {@code -D}), and returns true once it has
     * ended; elsewhere returns false at once, and the caller runs the benchmark itself.
     */
    public static boolean rerunAtFullSpeed(Class<?> main, String[] args, String... properties) throws Exception {
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (flags.stream().noneMatch(SHORT_RUN_FLAGS::contains)) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of(java()));
        for (String name : properties) {
            String value = System.getProperty(name);
            if (value != null) {
                command.add("-D" + name + "=" + value);
            }
        }
        command.addAll(List.of("-cp", classPath(main), main.getName()));
        command.addAll(List.of(args));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(main.getSimpleName() + " (in a JVM with the JDK's defaults) ended with exit code " + exit);
        }
        return true;
    }

    /** The {@code java} of this JVM's JDK. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code main}'s class path, also inside Maven: exec:java loads a program with a class loader of its own. */
    public static String classPath(Class<?> main) {
        if (main.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(new File(URI.create(url.toString())).getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }
}

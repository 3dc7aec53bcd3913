package kata.launcher;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import kata.harness.LessonText;
import org.approvaltests.approvers.FileApprover;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a chapter's compiled tests through the JUnit Platform launcher, in this JVM. Each run gets a fresh
 * class loader for the chapter's own classes (so a rerun sees the newly compiled ones) whose parent holds
 * the libraries — Undertow, HtmlUnit, JUnit, the harness — loaded once and kept warm.
 */
final class TestRunner {
    /** ApprovalTests looks for a test's snapshot under this folder (Surefire runs in the chapter's folder). */
    private static final String APPROVALS_ROOT = "APPROVALTESTS_PROJECT_DIRECTORY";

    /**
     * The tests of a chapter run side by side. Each has its own server on a free port and its own
     * browsers, and most of a test's time is waiting (for a poll, a message, a page), so a rerun takes
     * about as long as the slowest test instead of the sum of them all. Enough threads that a chapter's
     * tests all start at once: the slowest must not wait in a queue behind the quick ones.
     */
    static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "16",
            // Named, so that JUnit does not print an INFO line about its choice on every run.
            "junit.jupiter.execution.parallel.config.executor-service", "FORK_JOIN_POOL");

    private final ClassLoader libraries;
    private Launcher launcher;

    TestRunner(ClassLoader libraries) {
        this.libraries = libraries;
    }

    /** Runs the tests in {@code build}'s test classes; one outcome per test, named {@code Class.method}. */
    synchronized List<TestOutcome> run(Chapter chapter, ChapterBuild build) {
        String previousRoot = System.getProperty(APPROVALS_ROOT);
        approvalsAt(chapter.dir());
        try {
            return execute("kata-" + chapter.name(), build.testClasses(), build.mainClasses(), test -> true);
        } finally {
            if (previousRoot == null) {
                System.clearProperty(APPROVALS_ROOT);
            } else {
                System.setProperty(APPROVALS_ROOT, previousRoot);
            }
        }
    }

    /**
     * Runs the tests in {@code testClasses} whose {@code Class.method} name {@code wanted} accepts, against
     * {@code mainClasses}, in a class loader of their own called {@code loaderName}. The caller has set where
     * the snapshots are ({@link #approvalsAt}).
     */
    synchronized List<TestOutcome> execute(String loaderName, Path testClasses, Path mainClasses, Predicate<String> wanted) {
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        try (URLClassLoader chapterLoader = new URLClassLoader(loaderName, urls(testClasses, mainClasses), libraries)) {
            thread.setContextClassLoader(chapterLoader);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClasspathRoots(Set.of(testClasses)))
                    .filters(ClassNameFilter.includeClassNamePatterns(ClassNameFilter.STANDARD_INCLUDE_PATTERN),
                            (PostDiscoveryFilter) descriptor -> descriptor.getSource()
                                    .filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                    .map(m -> wanted.test(simpleName(m.getClassName()) + "." + m.getMethodName())
                                            ? FilterResult.included("wanted") : FilterResult.excluded("not wanted"))
                                    .orElse(FilterResult.included("a container")))
                    .configurationParameters(PARALLEL)
                    .build();
            TestPlan plan = launcher().discover(request);
            Outcomes outcomes = new Outcomes();
            launcher().execute(plan, outcomes);
            return outcomes.of(plan);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(previousLoader);
        }
    }

    /**
     * Where ApprovalTests finds a chapter's snapshots, and where the lesson pointer finds its lesson (Maven
     * runs a chapter's tests in its folder; this JVM runs in the kata's root): one chapter at a time.
     */
    static void approvalsAt(Path chapterDir) {
        System.setProperty(APPROVALS_ROOT, chapterDir.toString());
        System.setProperty(LessonText.CHAPTER_DIR, chapterDir.toString());
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }

    private Launcher launcher() {
        if (launcher == null) {
            launcher = LauncherFactory.create();
            // ApprovalTests refuses a second verify() of the same snapshot in one JVM, to catch a test
            // that verifies twice; in this JVM every rerun verifies again. (./kata verify runs the tests
            // under Maven, one JVM per run, and still catches the double verify.)
            FileApprover.tracker.addAllowedDuplicates(snapshot -> true);
        }
        return launcher;
    }

    private static URL[] urls(Path... folders) {
        try {
            List<URL> urls = new ArrayList<>();
            for (Path folder : folders) {
                Files.createDirectories(folder);
                urls.add(folder.toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects what JUnit reports; a test under a failed container fails with the container's message. */
    private static final class Outcomes implements TestExecutionListener {
        private final Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private final Map<String, Long> millis = new ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            results.put(id.getUniqueId(), result);
            Long start = started.get(id.getUniqueId());
            if (start != null) {
                millis.put(id.getUniqueId(), (System.nanoTime() - start) / 1_000_000);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            results.put(id.getUniqueId(), TestExecutionResult.failed(new AssertionError("skipped: " + reason)));
        }

        List<TestOutcome> of(TestPlan plan) {
            Map<String, TestOutcome> byName = new LinkedHashMap<>();
            for (TestIdentifier root : plan.getRoots()) {
                for (TestIdentifier test : plan.getDescendants(root)) {
                    if (!test.isTest()) {
                        continue;
                    }
                    String name = name(plan, test);
                    TestOutcome outcome = outcome(plan, test, name);
                    // A parameterized test passes only when every one of its cases does.
                    byName.merge(name, outcome, (before, now) -> before.passed() ? now : before);
                }
            }
            return List.copyOf(byName.values());
        }

        private TestOutcome outcome(TestPlan plan, TestIdentifier test, String name) {
            TestExecutionResult own = results.get(test.getUniqueId());
            long took = millis.getOrDefault(test.getUniqueId(), 0L);
            if (own != null) {
                return own.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? TestOutcome.pass(name, took)
                        : TestOutcome.fail(name, own.getThrowable().map(TestRunner::describe).orElse("failed"), took);
            }
            // It did not run: a container above it failed (a constructor, a @BeforeAll, a class that does
            // not load) and its failure is this test's too.
            for (TestIdentifier at = plan.getParent(test).orElse(null); at != null; at = plan.getParent(at).orElse(null)) {
                TestExecutionResult result = results.get(at.getUniqueId());
                if (result != null && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    return TestOutcome.fail(name, result.getThrowable().map(TestRunner::describe).orElse("failed"));
                }
            }
            return TestOutcome.fail(name, "did not run");
        }

        private static String name(TestPlan plan, TestIdentifier test) {
            for (TestIdentifier at = test; at != null; at = plan.getParent(at).orElse(null)) {
                Optional<MethodSource> method = at.getSource().filter(MethodSource.class::isInstance)
                        .map(MethodSource.class::cast);
                if (method.isPresent()) {
                    return simpleName(method.get().getClassName()) + "." + method.get().getMethodName();
                }
            }
            return test.getDisplayName();
        }
    }

    /** What a learner needs of a failure: an assertion's message, or what was thrown and where. */
    static String describe(Throwable failure) {
        if (failure instanceof AssertionError && failure.getMessage() != null) {
            return failure.getMessage();
        }
        StringBuilder text = new StringBuilder(failure.getClass().getName());
        if (failure.getMessage() != null) {
            text.append(": ").append(failure.getMessage());
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassLoaderName() != null && frame.getClassLoaderName().startsWith("kata-")) {
                text.append("\n    at ").append(frame);
                break;
            }
        }
        if (failure.getCause() != null && failure.getCause() != failure) {
            text.append("\n    caused by ").append(describe(failure.getCause()));
        }
        return text.toString();
    }
}

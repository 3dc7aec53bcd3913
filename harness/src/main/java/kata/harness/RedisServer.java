package kata.harness;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for a test: Debian's {@code redis-server} started as a child process on a free loopback
 * port, with no persistence, and stopped after. {@link #stop()} and {@link #start()} on the same port
 * let a test take the broker away for a while and bring it back.
 *
 * <pre>
 * &#64;RegisterExtension
 * final RedisServer redis = new RedisServer();   // started before each test, stopped after
 * ... redis.uri()  // redis://127.0.0.1:41234
 * </pre>
 *
 * When {@code redis-server} is not installed, the test fails with the command that installs it.
 *
 * <p>A JVM that is killed (PIT ends a minion that runs too long with SIGKILL) runs no shutdown hook, and its
 * Redis would run on. So every Redis started here leaves a note in {@link #NOTES} (its pid and start time, and
 * those of the JVM that started it), removed when it stops; the next {@link #start()}, in any JVM, kills the
 * Redis of a note whose JVM is gone — only if that process is still the very redis-server the note names (same
 * pid, start time and program).
 */
public final class RedisServer implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    /** How long Redis may take to answer PING after it was started; it usually takes a few milliseconds. */
    public static final Duration STARTUP = Duration.ofSeconds(10);
    static final String INSTALL = "sudo apt-get install redis-server";

    /** Every Redis still running is killed when the JVM exits, even after a test that forgot to stop it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-server-reaper"));
    }

    /** One file per running Redis started here: {@code <redis pid>.pid}. Per user: another user's are not ours. */
    static final Path NOTES = Path.of(System.getProperty("java.io.tmpdir"),
            "kata-redis-servers-" + System.getProperty("user.name", "user"));

    private int port;
    private Process process;

    /** Starts Redis on a free port the first time, on the same port afterwards (after {@link #stop()}). */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        String executable = executable();
        sweepLeftovers();
        if (port == 0) {
            port = freePort();
        }
        try {
            process = new ProcessBuilder(executable,
                    "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--protected-mode", "yes", "--loglevel", "warning", "--logfile", "")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            RUNNING.add(process);
            leaveNote(process);
        } catch (IOException e) {
            throw new AssertionError("Could not start " + executable + ": " + e.getMessage()
                    + ". Install Redis with: " + INSTALL, e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        LookAgain next = new LookAgain();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited at start with code " + process.exitValue()
                        + " (port " + port + " taken?)");
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new AssertionError("redis-server did not answer PING within " + STARTUP.toSeconds() + " s");
            }
            next.pause();
        }
        return this;
    }

    /** Stops Redis at once (SIGKILL: as abrupt as a crash), keeping its port for a later {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        RUNNING.remove(process);
        removeNote(process.pid());
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("Redis has not been started yet");
        }
        return port;
    }

    /** For example {@code redis://127.0.0.1:41234}: the form Redis clients (Lettuce, Jedis) take. */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** How many clients Redis has connected ({@code CLIENT LIST}), not counting the connection that asks. */
    public int clients() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("CLIENT LIST\r\n".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String head = in.readLine(); // $<length>, then one line per client
            if (head == null || !head.startsWith("$")) {
                throw new IllegalStateException("CLIENT LIST answered " + head);
            }
            int length = Integer.parseInt(head.substring(1));
            int clients = 0;
            for (int read = 0; read < length; ) {
                String line = in.readLine();
                read += line.length() + 1;
                clients++;
            }
            return clients - 1;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer CLIENT LIST", e);
        }
    }

    /** Whether a raw {@code PING} gets {@code +PONG} within a second. */
    public boolean answersPing() {
        return "+PONG".equals(command("PING"));
    }

    /**
     * One command in the inline protocol ({@code "XLEN chat"}), its first reply line, for a test that looks
     * at Redis directly; {@code null} when Redis does not answer.
     */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    private static String executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        for (String fallback : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(fallback).canExecute()) {
                return fallback;
            }
        }
        throw new AssertionError("This chapter needs a real Redis, and redis-server is not on the PATH. "
                + "Install it with: " + INSTALL + " (Debian/Ubuntu), brew install redis (macOS)");
    }

    private static void leaveNote(Process redis) {
        ProcessHandle me = ProcessHandle.current();
        String note = "owner=" + me.pid() + "\nownerStarted=" + started(me) + "\nstarted=" + started(redis.toHandle())
                + "\ncommand=" + redis.toHandle().info().command().orElse("unknown") + "\n";
        try {
            Files.createDirectories(NOTES);
            Files.writeString(NOTES.resolve(redis.pid() + ".pid"), note);
        } catch (IOException e) {
            // without a note only the sweep after a killed JVM is lost; the test itself runs as usual
        }
    }

    private static void removeNote(long pid) {
        try {
            Files.deleteIfExists(NOTES.resolve(pid + ".pid"));
        } catch (IOException e) {
            // a stale note is swept (and its pid checked) at the next start
        }
    }

    /** Kills the Redis of every note whose JVM has ended, if it is still the process the note names. */
    static void sweepLeftovers() {
        if (!Files.isDirectory(NOTES)) {
            return;
        }
        try (DirectoryStream<Path> notes = Files.newDirectoryStream(NOTES, "*.pid")) {
            for (Path note : notes) {
                sweep(note);
            }
        } catch (IOException e) {
            // nothing swept this time
        }
    }

    private static void sweep(Path note) throws IOException {
        Properties seen = new Properties();
        try (var in = Files.newBufferedReader(note)) {
            seen.load(in);
        } catch (IOException e) {
            return; // being written or removed right now
        }
        String name = note.getFileName().toString();
        long pid;
        long owner;
        try {
            pid = Long.parseLong(name.substring(0, name.length() - ".pid".length()));
            owner = Long.parseLong(seen.getProperty("owner", ""));
        } catch (NumberFormatException e) {
            Files.deleteIfExists(note);
            return;
        }
        String ownerStarted = seen.getProperty("ownerStarted", "unknown");
        if (ProcessHandle.of(owner).filter(ProcessHandle::isAlive)
                .map(jvm -> ownerStarted.equals("unknown") || started(jvm).equals(ownerStarted)).orElse(false)) {
            return; // its JVM still runs, and stops its Redis itself
        }
        // The same pid, start time and program (Debian's redis-server is a link to redis-check-rdb: compare
        // with what was started, not with a name): that very Redis, not a process that reuses its pid.
        Optional<ProcessHandle> redis = ProcessHandle.of(pid);
        String command = seen.getProperty("command", "unknown");
        if (redis.isPresent() && sameProcess(pid, seen.getProperty("started")) && !command.equals("unknown")
                && redis.get().info().command().map(command::equals).orElse(false)) {
            redis.get().destroyForcibly();
        }
        Files.deleteIfExists(note);
    }

    /** Whether {@code pid} is alive and is the process that started at {@code started} (not a reused pid). */
    private static boolean sameProcess(long pid, String started) {
        return started != null && !started.equals("unknown") && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(process -> started(process).equals(started)).orElse(false);
    }

    private static String started(ProcessHandle process) {
        return process.info().startInstant().map(String::valueOf).orElse("unknown");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

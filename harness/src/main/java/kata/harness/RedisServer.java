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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

    private int port;
    private Process process;

    /** Starts Redis on a free port the first time, on the same port afterwards (after {@link #stop()}). */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        String executable = executable();
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
        } catch (IOException e) {
            throw new AssertionError("Could not start " + executable + ": " + e.getMessage()
                    + ". Install Redis with: " + INSTALL, e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited at start with code " + process.exitValue()
                        + " (port " + port + " taken?)");
            }
            if (System.nanoTime() - deadline > 0) {
                stop();
                throw new AssertionError("redis-server did not answer PING within " + STARTUP.toSeconds() + " s");
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

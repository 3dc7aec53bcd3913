package kata.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Not a test: the benchmark's peer, nginx with the nchan module, one worker process (the budget of one Java
 * process), started as a child with its own prefix and config in a temp dir, on a free port. One channel,
 * {@code chat}: POST /pub publishes the body, GET /sub subscribes (an EventSource gets SSE, a plain GET a
 * long poll). Every subscriber starts with the next message published.
 */
public final class NchanPeer implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");
    private static final Pattern SUBSCRIBERS = Pattern.compile("\"subscribers\": *(\\d+)");

    private final Path dir;
    private final Process nginx;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Whether this machine has nginx and nchan where Debian puts them, and the peer is wanted ({@code -Dpeer=skip}
     * leaves it out, e.g. to profile our server alone); if not, the benchmark says so and skips the peer.
     */
    public static boolean installed() {
        return Files.isExecutable(NGINX) && Files.isReadable(MODULE) && !"skip".equals(System.getProperty("peer"));
    }

    public NchanPeer(int maxConnections) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("nchan-peer");
        Files.createDirectories(dir.resolve("logs"));
        port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), """
                load_module %s;
                worker_processes 1;
                worker_rlimit_nofile %d;
                error_log logs/error.log error;
                pid nginx.pid;
                events { worker_connections %d; }
                http {
                    access_log off;
                    client_body_temp_path tmp;
                    proxy_temp_path tmp;
                    fastcgi_temp_path tmp;
                    uwsgi_temp_path tmp;
                    scgi_temp_path tmp;
                    server {
                        listen 127.0.0.1:%d;
                        location = /pub { nchan_publisher; nchan_channel_id chat; nchan_message_buffer_length 1000; }
                        location = /sub { nchan_subscriber; nchan_channel_id chat; nchan_subscriber_first_message newest; }
                    }
                }
                """.formatted(MODULE, maxConnections + 1000, 3 * maxConnections + 1000, port)); // nchan takes more than one connection slot per subscriber
        nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", "nginx.conf", "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts(port)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("logs/stdout.log")));
            }
            Thread.sleep(20); // a benchmark, not a test: polls nginx's port until it is up
        }
    }

    public int port() {
        return port;
    }

    /** Publishes {@code body} as the next message of the channel. */
    public void publish(String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pub"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("nchan's /pub answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The CPU time nginx's processes (master and worker) have used so far, or -1 where the system does not say. */
    public long cpuNanos() {
        ProcessHandle master = nginx.toHandle();
        long total = 0;
        for (ProcessHandle process : Stream.concat(Stream.of(master), master.descendants()).toList()) {
            Optional<Duration> used = process.info().totalCpuDuration();
            if (used.isEmpty()) {
                return -1;
            }
            total += used.get().toNanos();
        }
        return total;
    }

    /** How many subscribers the channel has right now. */
    public int subscribers() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pub"))
                .header("Accept", "text/json").build(), HttpResponse.BodyHandlers.ofString());
        Matcher count = SUBSCRIBERS.matcher(response.body());
        return response.statusCode() == 200 && count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        nginx.destroy(); // SIGTERM: nginx's fast shutdown
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
            nginx.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}

package kata.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import kata.harness.QuietLogs;

/**
 * Relay throughput and latency, not a test: N sockets connected, messages sent from some of them, each
 * relayed to all N; a message's latency is from its send to its arrival at one socket (same JVM, same clock).
 * Two loads:
 * <ul>
 * <li><b>paced</b>: ten senders, at most {@link #IN_FLIGHT} messages on their way at a time;</li>
 * <li><b>burst</b>: every socket sends {@link #BURST} messages at once, as fast as it can, while all keep
 * reading — a room where everyone talks at the same moment.</li>
 * </ul>
 * Each load runs against the reference ({@link WebSocketServer}) and, when {@code node} and the {@code ws}
 * package are there ({@code npm install} in {@code chapters/04-websocket/bench}), against a peer: the same relay
 * on Node's {@code ws} ({@code bench/ws-relay.js}), started here, measured by the same clients.
 *
 * <pre>
 * (cd chapters/04-websocket/bench &amp;&amp; npm install)   # optional: the Node ws row
 * mvn -q -pl chapters/04-websocket -Psolutions test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/target/ws-bench.cp
 * java -cp chapters/04-websocket/target/solution/test-classes:chapters/04-websocket/target/solution/classes:$(cat target/ws-bench.cp) \
 *     kata.websocket.RelayBenchmark
 * </pre>
 *
 * The clients (the JDK's WebSocket client) run in the same JVM as the Java server, so the thread count and
 * the heap include them; the machine's cores are shared between clients and server (and Node, for its rows).
 */
public final class RelayBenchmark {
    static final int IN_FLIGHT = 16;
    static final int SENDERS = 10;
    static final int BURST = 20;
    /** A run ends when every delivery has arrived, or when none has arrived for this long (sockets were closed). */
    static final Duration STALLED = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        QuietLogs.install();
        Optional<Path> nodeRelay = nodeRelay();
        System.out.println("WebSocket relay, " + Runtime.getRuntime().availableProcessors() + " cores; paced: "
                + SENDERS + " senders, " + IN_FLIGHT + " messages in flight at most; burst: " + BURST
                + " messages from every socket at once");
        if (nodeRelay.isEmpty()) {
            System.out.println("Node ws relay skipped: needs `node` on the PATH and `npm install` in chapters/04-websocket/bench");
        }
        System.out.println();
        System.out.println("| relay     | load  | sockets | messages | deliveries | deliveries/s | p50 latency | p99 latency | max latency | JVM threads | heap used | sockets closed |");
        System.out.println("|:----------|:------|--------:|---------:|-----------:|-------------:|------------:|------------:|------------:|------------:|----------:|---------------:|");
        Load paced = new Load("paced", 100, 2000, false);
        Load burst = new Load("burst", 100, 100 * BURST, true);
        Load pacedWide = new Load("paced", 1000, 200, false);
        try (Target warmUp = Target.reference()) {
            run(warmUp, paced, true);
        }
        for (Load load : List.of(paced, burst, pacedWide)) {
            try (Target reference = Target.reference()) {
                run(reference, load, false);
            }
            if (nodeRelay.isPresent()) {
                try (Target node = Target.node(nodeRelay.get())) {
                    run(node, load, false);
                }
            }
        }
    }

    /** What is measured: how many sockets, how many messages in all, paced or all at once. */
    record Load(String name, int sockets, int messages, boolean burst) {
    }

    private static void run(Target target, Load load, boolean warmUp) throws Exception {
        System.gc();
        HttpClient http = HttpClient.newHttpClient();
        long expected = (long) load.sockets() * load.messages();
        long[] latencies = new long[(int) expected];
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        List<WebSocket> clients = new ArrayList<>();
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < load.sockets(); i++) {
            opening.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + target.port() + "/ws?name=c" + i),
                            new Receiver(latencies, delivered, closed)));
            if (i % 50 == 49) { // do not overrun the listen backlog
                CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
        }
        for (CompletableFuture<WebSocket> socket : opening) {
            clients.add(socket.get(30, TimeUnit.SECONDS));
        }
        target.awaitSockets(load.sockets());

        long start = System.nanoTime();
        if (load.burst()) {
            sendAll(clients, load.messages());
        } else {
            sendPaced(clients, load, delivered);
        }
        long lastProgress = System.nanoTime();
        int seen = delivered.get();
        while (delivered.get() < expected && System.nanoTime() - lastProgress < STALLED.toNanos()) {
            LockSupport.parkNanos(1_000_000);
            if (delivered.get() != seen) {
                seen = delivered.get();
                lastProgress = System.nanoTime();
            }
        }
        long elapsed = (delivered.get() < expected ? lastProgress : System.nanoTime()) - start;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();

        int n = Math.min(delivered.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        if (!warmUp) {
            System.out.printf(Locale.ROOT, "| %-9s | %-5s | %7d | %8d | %10d | %12.0f | %8.2f ms | %8.2f ms | %8.2f ms | %11d | %6d MB | %14d |%n",
                    target.name(), load.name(), load.sockets(), load.messages(), n, n / (elapsed / 1e9),
                    percentile(sorted, 50), percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                    threads, heap >> 20, closed.get());
        }
        for (WebSocket client : clients) {
            client.abort();
        }
    }

    /** Ten senders take turns; at most {@link #IN_FLIGHT} messages are on their way at a time. */
    private static void sendPaced(List<WebSocket> clients, Load load, AtomicInteger delivered) {
        for (int m = 0; m < load.messages(); m++) {
            while ((long) m * load.sockets() - delivered.get() >= (long) IN_FLIGHT * load.sockets()) {
                LockSupport.parkNanos(50_000);
            }
            send(clients.get(m % SENDERS));
        }
    }

    /** Every socket sends its share at once: the sends do not wait for any delivery. */
    private static void sendAll(List<WebSocket> clients, int messages) {
        for (int m = 0; m < messages; m++) {
            send(clients.get(m % clients.size()));
        }
    }

    private static void send(WebSocket sender) {
        synchronized (sender) { // one send at a time per socket, as the JDK client requires
            if (!sender.isOutputClosed()) {
                sender.sendText("{\"type\":\"message\",\"text\":\"" + System.nanoTime() + "\"}", true)
                        .exceptionally(closedMeanwhile -> null).join();
            }
        }
    }

    private static double percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** {@code bench/ws-relay.js}, if {@code node} can run it: its {@code ws} package installed beside it. */
    private static Optional<Path> nodeRelay() {
        for (Path dir : List.of(Path.of("chapters/04-websocket/bench"), Path.of("bench"))) {
            if (Files.isRegularFile(dir.resolve("ws-relay.js")) && Files.isDirectory(dir.resolve("node_modules/ws"))) {
                try {
                    Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
                    if (version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0) {
                        return Optional.of(dir.resolve("ws-relay.js"));
                    }
                } catch (IOException | InterruptedException noNode) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A relay to measure: where it listens, and how to know every socket has joined. */
    private interface Target extends AutoCloseable {
        String name();

        int port();

        void awaitSockets(int sockets);

        @Override
        void close();

        static Target reference() {
            WebSocketServer server = WebSocketServer.start(0);
            return new Target() {
                public String name() {
                    return "reference";
                }

                public int port() {
                    return server.port();
                }

                public void awaitSockets(int sockets) {
                    while (server.openSockets() < sockets) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }

                public void close() {
                    server.close();
                }
            };
        }

        /** Node's ws adds a socket to its clients before it writes the 101: an open client has joined. */
        static Target node(Path script) throws IOException {
            Process node = new ProcessBuilder("node", script.getFileName().toString())
                    .directory(script.toAbsolutePath().getParent().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("listening ")) {
                node.destroy();
                throw new IOException("the Node relay did not start: " + line);
            }
            int port = Integer.parseInt(line.substring("listening ".length()).trim());
            return new Target() {
                public String name() {
                    return "Node ws";
                }

                public int port() {
                    return port;
                }

                public void awaitSockets(int sockets) {
                }

                public void close() {
                    node.destroy();
                    try {
                        node.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }

    /** Reads the send time out of each message frame and records how long it took; counts the sockets closed. */
    private static final class Receiver implements WebSocket.Listener {
        private final long[] latencies;
        private final AtomicInteger delivered;
        private final AtomicInteger closed;
        private final StringBuilder partial = new StringBuilder();

        Receiver(long[] latencies, AtomicInteger delivered, AtomicInteger closed) {
            this.latencies = latencies;
            this.delivered = delivered;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                int at = frame.indexOf("\"text\":\"");
                if (frame.startsWith("{\"type\":\"message\"") && at >= 0) {
                    long sent = Long.parseLong(frame.substring(at + 8, frame.indexOf('"', at + 8)));
                    int slot = delivered.getAndIncrement();
                    if (slot < latencies.length) {
                        latencies[slot] = now - sent;
                    }
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.incrementAndGet();
            return null;
        }
    }
}

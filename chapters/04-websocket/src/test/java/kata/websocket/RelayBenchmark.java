package kata.websocket;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import kata.harness.QuietLogs;

/**
 * Relay throughput and latency, not a test: N sockets connected, messages sent from a few of them, each
 * relayed to all N; a message's latency is from its send to its arrival at one socket (same JVM, same clock).
 * At most {@link #IN_FLIGHT} messages are on their way at a time, so the queues stay within their bound.
 *
 * <pre>
 * mvn -q -pl chapters/04-websocket -Psolutions test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/target/ws-bench.cp
 * java -cp chapters/04-websocket/target/solution/test-classes:chapters/04-websocket/target/solution/classes:$(cat target/ws-bench.cp) \
 *     kata.websocket.RelayBenchmark
 * </pre>
 *
 * The clients (the JDK's WebSocket client) run in the same JVM as the server, so the thread count and the
 * heap include them; the machine's cores are shared between both sides.
 */
public final class RelayBenchmark {
    static final int IN_FLIGHT = 16;
    static final int SENDERS = 10;

    public static void main(String[] args) throws Exception {
        QuietLogs.install();
        System.out.println("WebSocket relay, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + IN_FLIGHT + " messages in flight at most, " + SENDERS + " senders");
        System.out.println();
        System.out.println("| sockets | messages | deliveries | deliveries/s | p50 latency | p99 latency | max latency | JVM threads | heap used | closed too slow |");
        System.out.println("|--------:|---------:|-----------:|-------------:|------------:|------------:|------------:|------------:|----------:|----------------:|");
        run(100, 2000, true);  // warm-up, not printed
        run(100, 2000, false);
        run(1000, 200, false);
    }

    private static void run(int sockets, int messages, boolean warmUp) throws Exception {
        System.gc();
        try (WebSocketServer server = WebSocketServer.start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            long expected = (long) sockets * messages;
            long[] latencies = new long[(int) expected];
            AtomicInteger delivered = new AtomicInteger();
            List<WebSocket> clients = new ArrayList<>();
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                opening.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?name=c" + i),
                                new Receiver(latencies, delivered)));
                if (i % 50 == 49) { // do not overrun the listen backlog
                    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<WebSocket> socket : opening) {
                clients.add(socket.get(30, TimeUnit.SECONDS));
            }
            while (server.openSockets() < sockets) {
                LockSupport.parkNanos(1_000_000);
            }

            long start = System.nanoTime();
            for (int m = 0; m < messages; m++) {
                while ((long) m * sockets - delivered.get() >= (long) IN_FLIGHT * sockets) {
                    LockSupport.parkNanos(50_000);
                }
                WebSocket sender = clients.get(m % SENDERS);
                synchronized (sender) { // one send at a time per socket, as the JDK client requires
                    sender.sendText("{\"type\":\"message\",\"text\":\"" + System.nanoTime() + "\"}", true).join();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.get() < expected && System.nanoTime() < deadline && server.openSockets() == sockets) {
                LockSupport.parkNanos(1_000_000);
            }
            long elapsed = System.nanoTime() - start;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            int tooSlow = sockets - server.openSockets();

            int n = Math.min(delivered.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            if (!warmUp) {
                System.out.printf(Locale.ROOT, "| %7d | %8d | %10d | %12.0f | %8.2f ms | %8.2f ms | %8.2f ms | %11d | %6d MB | %15d |%n",
                        sockets, messages, n, n / (elapsed / 1e9), percentile(sorted, 50), percentile(sorted, 99),
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, threads, heap >> 20, tooSlow);
            }
            for (WebSocket client : clients) {
                client.abort();
            }
        }
    }

    private static double percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** Reads the send time out of each message frame and records how long it took. */
    private static final class Receiver implements WebSocket.Listener {
        private final long[] latencies;
        private final AtomicInteger delivered;
        private final StringBuilder partial = new StringBuilder();

        Receiver(long[] latencies, AtomicInteger delivered) {
            this.latencies = latencies;
            this.delivered = delivered;
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
    }
}

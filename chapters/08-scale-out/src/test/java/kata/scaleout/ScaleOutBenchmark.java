package kata.scaleout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kata.harness.BenchmarkJvm;
import kata.harness.QuietLogs;
import kata.harness.RedisServer;

/**
 * Not a test: messages per second through 1 node and through 2 nodes sharing one Redis, and how long a
 * message takes from POST to each client's event stream (p50, p99), with N clients split across the nodes.
 *
 * <pre>
 * mvn -q -pl chapters/08-scale-out test-compile exec:java -Psolutions \
 *     -Dexec.classpathScope=test -Dexec.mainClass=kata.scaleout.ScaleOutBenchmark -Dexec.args="200 1000 4"
 * </pre>
 *
 * Arguments: clients (default 100), messages (default 500), concurrent posters (default 4). Everything runs
 * in this one JVM on this one machine, so "2 nodes" shows what the broker hop costs, not what a second
 * machine would add: see README.md §9.
 */
public final class ScaleOutBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (BenchmarkJvm.rerunAtFullSpeed(ScaleOutBenchmark.class, args)) {
            return;
        }
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int posters = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        QuietLogs.install();
        System.out.printf(Locale.ROOT, "%d clients on event streams, %d messages from %d concurrent posters%n",
                clients, messages, posters);
        System.out.printf(Locale.ROOT, "%-7s %12s %14s %14s %14s%n", "nodes", "msg/s in", "deliveries/s", "p50 ms", "p99 ms");
        for (int nodes : new int[] {1, 2, 1, 2}) { // twice: the first round warms the JIT
            try (RedisServer redis = new RedisServer().start()) {
                run(redis, nodes, clients, messages, posters);
            }
        }
        System.exit(0);
    }

    private static void run(RedisServer redis, int nodeCount, int clients, int messages, int posters) throws Exception {
        List<ChatNode> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(ChatNode.start(0, NodeConfig.of("N" + i, redis.uri()).withMaxLength(100_000)));
        }
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong delivered = new AtomicLong();
        AtomicLong lastDelivery = new AtomicLong();
        List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
        ExecutorService readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            // The first message opens the stream at a known id, so every client starts from the same place.
            String first = post(nodes.get(0), "start");
            for (int c = 0; c < clients; c++) {
                ChatNode node = nodes.get(c % nodeCount);
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/events?since=" + first))
                        .header("Accept", "text/event-stream").build();
                CompletableFuture<HttpResponse<Stream<String>>> response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
                streams.add(response);
                response.thenAcceptAsync(r -> r.body().forEach(line -> {
                    int at = line.indexOf("sent ");
                    if (line.startsWith("data:") && at > 0) {
                        long sent = Long.parseLong(line.substring(at + 5, line.indexOf('"', at)));
                        long now = System.nanoTime();
                        latencies.add(now - sent);
                        delivered.incrementAndGet();
                        lastDelivery.accumulateAndGet(now, Math::max);
                    }
                }), readers);
            }
            CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            long started = System.nanoTime();
            ExecutorService posting = Executors.newFixedThreadPool(posters);
            List<CompletableFuture<Void>> posts = new ArrayList<>();
            for (int m = 0; m < messages; m++) {
                ChatNode node = nodes.get(m % nodeCount);
                posts.add(CompletableFuture.runAsync(() -> post(node, "sent " + System.nanoTime()), posting));
            }
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long posted = System.nanoTime();
            posting.shutdown();
            long expected = (long) clients * messages;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10); // a benchmark, not a test: it may wait like this
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double seconds = (Math.max(lastDelivery.get(), posted) - started) / 1e9;
            System.out.printf(Locale.ROOT, "%-7d %12.0f %14.0f %14.1f %14.1f%s%n", nodeCount,
                    messages / ((posted - started) / 1e9), delivered.get() / seconds,
                    percentile(sorted, 50), percentile(sorted, 99),
                    delivered.get() < expected ? "   (only " + delivered.get() + " of " + expected + " delivered)" : "");
        } finally {
            streams.forEach(s -> s.thenAccept(r -> r.body().close()));
            readers.shutdownNow();
            nodes.forEach(ChatNode::close);
        }
    }

    private static String post(ChatNode node, String text) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"bench\",\"text\":\"" + text + "\"}")).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
            }
            String body = response.body();
            int at = body.indexOf("\"id\":\"") + 6;
            return body.substring(at, body.indexOf('"', at));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}

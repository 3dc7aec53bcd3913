package kata.sse;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: one message fanned out to 1,000 and 10,000 open streams. How long until every stream has it
 * (p50, p99, max over all streams and rounds), how many threads the server runs, how much heap the open
 * streams take.
 *
 * <pre>
 * mvn -q -pl chapters/03-sse -Psolutions test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/target/sse-bench.cp
 * java -cp chapters/03-sse/target/solution/test-classes:chapters/03-sse/target/solution/classes:$(cat target/sse-bench.cp) \
 *     kata.sse.SseBenchmark 1000 10000
 * </pre>
 *
 * The server runs in this JVM, the subscribers in a child JVM (each side needs a file descriptor per
 * stream, and one process may have too few for both). Both read {@code System.nanoTime()}, the same
 * monotonic clock on one machine, so a latency is "arrival in the child − just before the POST here".
 */
public final class SseBenchmark {
    private static final int ROUNDS = 20;

    public static void main(String[] args) throws Exception {
        kata.harness.QuietLogs.install();
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1000, 10000};
        System.out.println("SSE fan-out: one POST /messages, delivered to N open streams; " + ROUNDS + " rounds each;"
                + " server and clients on the same " + Runtime.getRuntime().availableProcessors() + " cores\n");
        System.out.printf(Locale.ROOT, "%8s %9s %9s %9s %9s %12s %14s%n",
                "streams", "p50 ms", "p99 ms", "max ms", "threads", "heap MB", "heap/stream");
        for (int n : sizes) {
            run(n);
        }
    }

    private static void run(int n) throws Exception {
        SseServer.Options options = SseServer.Options.defaults().withHeartbeat(Duration.ofMinutes(5));
        try (SseServer server = SseServer.start(0, options)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            post(http, server, "warm-up"); // the history holds it; the clients replay it and ignore it
            long heapBefore = usedHeap();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss256k", "-cp", classPath(), Clients.class.getName(), String.valueOf(server.port()), String.valueOf(n))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader fromClients = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            PrintStream toClients = new PrintStream(clients.getOutputStream(), true, StandardCharsets.UTF_8);
            expect(fromClients, "READY");
            while (server.subscriberCount() < n) {
                Thread.onSpinWait();
            }
            long heapOpen = usedHeap();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();

            for (int round = 1; round <= ROUNDS; round++) {
                toClients.println("EXPECT bench-" + round + " " + System.nanoTime());
                post(http, server, "bench-" + round);
                expect(fromClients, "GOT bench-" + round);
            }
            toClients.println("REPORT");
            String[] report = expect(fromClients, "RESULT").split(" ");
            toClients.println("QUIT");
            clients.waitFor();
            double heapMb = (heapOpen - heapBefore) / 1e6;
            System.out.printf(Locale.ROOT, "%8d %9s %9s %9s %9d %12.1f %11.1f kB%n", n, report[1], report[2], report[3],
                    threads, heapMb, (heapOpen - heapBefore) / 1e3 / n);
            if (threads != threadsBefore) {
                System.out.println("         (threads before the streams opened: " + threadsBefore + ")");
            }
        }
    }

    private static void post(HttpClient http, SseServer server, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"Bench\",\"text\":\"" + text + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /messages answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String expect(BufferedReader in, String prefix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("  clients: " + line);
        }
        throw new IllegalStateException("the client process ended before it said " + prefix);
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // a benchmark, not a test: let the collector settle
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** exec:java runs us in a class loader of its own; the child needs the same class path. */
    private static String classPath() {
        if (SseBenchmark.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(new File(URI.create(url.toString())).getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /**
     * The child: N raw HTTP connections on one selector, one thread. Told "EXPECT marker t0" on stdin, it
     * reads until every stream has the marker, notes each arrival time, and answers "GOT marker".
     */
    public static final class Clients {
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            int n = Integer.parseInt(args[1]);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Selector selector = Selector.open();
            StringBuilder[] tails = new StringBuilder[n];
            ByteBuffer request = ByteBuffer.wrap(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < n; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(request.duplicate());
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, i);
                tails[i] = new StringBuilder();
            }
            System.out.println("READY");
            List<Long> latencies = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            for (String command = commands.readLine(); command != null; command = commands.readLine()) {
                String[] words = command.split(" ");
                if (words[0].equals("EXPECT")) {
                    String marker = "data: Bench: " + words[1] + "\n";
                    long t0 = Long.parseLong(words[2]);
                    boolean[] got = new boolean[n];
                    int missing = n;
                    while (missing > 0) {
                        selector.select(1000);
                        for (SelectionKey key : selector.selectedKeys()) {
                            int i = (Integer) key.attachment();
                            buffer.clear();
                            int read = ((SocketChannel) key.channel()).read(buffer);
                            if (read < 0) {
                                throw new IllegalStateException("stream " + i + " ended");
                            }
                            StringBuilder tail = tails[i];
                            tail.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                            if (!got[i] && tail.indexOf(marker) >= 0) {
                                got[i] = true;
                                missing--;
                                latencies.add(System.nanoTime() - t0);
                            }
                            if (tail.length() > 200) {
                                tail.delete(0, tail.length() - 100);
                            }
                        }
                        selector.selectedKeys().clear();
                    }
                    System.out.println("GOT " + words[1]);
                } else if (words[0].equals("REPORT")) {
                    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                    System.out.println("RESULT " + ms(sorted, 0.50) + " " + ms(sorted, 0.99) + " " + ms(sorted, 1.0));
                } else if (words[0].equals("QUIT")) {
                    return;
                }
            }
        }

        private static String ms(long[] sorted, double quantile) {
            int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
            return String.format(Locale.ROOT, "%.2f", sorted[Math.max(0, index)] / 1e6);
        }
    }

    private SseBenchmark() {
    }
}

package kata.sse;

import kata.harness.BenchmarkJvm;
import kata.harness.NchanPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: one message fanned out to 1,000, 5,000 and 10,000 open streams, from this chapter's server and,
 * in the same run, from its peer nginx + nchan. How long until every stream has it (p50, p99, max over all
 * streams and rounds), how many streams never got it, and for our server how many threads it runs and how
 * much heap the open streams take.
 *
 * <pre>
 * ulimit -n 20000   # 10,000 streams are 10,000 sockets on each side
 * mvn -q -pl chapters/03-sse -Psolutions test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/target/sse-bench.cp
 * java -cp chapters/03-sse/target/solution/test-classes:chapters/03-sse/target/solution/classes:$(cat target/sse-bench.cp) \
 *     kata.sse.SseBenchmark 1000 5000 10000
 * </pre>
 *
 * Our server runs in this JVM, nchan in its own nginx process (one worker, {@link NchanPeer}); the
 * subscribers of both run in one child JVM, read by one thread, the same code for both. Each size runs
 * {@value #RUNS} times, ours and the peer's alternating, because the machine's cores are shared and noisy; each
 * run starts with {@value #WARM_UP_ROUNDS} rounds that are not measured, so that the JIT has compiled our fan-out.
 * Without nginx and nchan installed the peer's rows are skipped, and the output says so. Both sides read
 * {@code System.nanoTime()}, the same monotonic clock on one machine, so a latency is "arrival in the child −
 * just before the POST here".
 */
public final class SseBenchmark {
    private static final int ROUNDS = 20;
    /** Rounds before the measured ones, for both servers: the JIT compiles our server's fan-out while they run. */
    private static final int WARM_UP_ROUNDS = 5;
    private static final int RUNS = 2;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(30);

    /** What the subscribers connect to and how a message is published to them. */
    private interface Publisher extends AutoCloseable {
        String name();

        int port();

        /** The stream's path on that port. */
        String streamPath();

        /** Publishes a message whose event data is {@code "Bench: " + text}. */
        void publish(String text) throws Exception;

        int subscribers() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (BenchmarkJvm.rerunAtFullSpeed(SseBenchmark.class, args, "peer")) {
            return;
        }
        kata.harness.QuietLogs.install();
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1000, 5000, 10000};
        boolean peer = NchanPeer.installed();
        System.out.println("SSE fan-out: one message delivered to N open streams; " + ROUNDS + " rounds each, after "
                + WARM_UP_ROUNDS + " to warm up;"
                + " servers and clients on the same " + Runtime.getRuntime().availableProcessors() + " cores");
        if (!peer) {
            System.out.println("(nginx + nchan not installed at " + NchanPeer.NGINX + ", " + NchanPeer.MODULE + ", or -Dpeer=skip: peer rows skipped)");
        }
        System.out.printf(Locale.ROOT, "%n%-10s %8s %4s %9s %9s %9s %6s %8s %9s %12s%n",
                "server", "streams", "run", "p50 ms", "p99 ms", "max ms", "lost", "threads", "heap MB", "heap/stream");
        for (int n : sizes) {
            for (int run = 1; run <= RUNS; run++) {
                reference(n, run);
                if (peer) {
                    nchan(n, run);
                }
            }
        }
    }

    private static void reference(int n, int run) throws Exception {
        SseServer.Options options = SseServer.Options.defaults().withHeartbeat(Duration.ofMinutes(5));
        try (SseServer server = SseServer.start(0, options)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Publisher ours = new Publisher() {
                public String name() {
                    return "reference";
                }

                public int port() {
                    return server.port();
                }

                public String streamPath() {
                    return "/events";
                }

                public void publish(String text) throws Exception {
                    post(http, server, text);
                }

                public int subscribers() {
                    return server.subscriberCount();
                }

                public void close() {
                }
            };
            ours.publish("warm-up"); // the history holds it; the clients replay it and ignore it
            long heapBefore = usedHeap();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            String[] report = fanOut(ours, n, () -> {
                long heapOpen = usedHeap();
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                return String.format(Locale.ROOT, "%8d %9.1f %9.1f kB%s", threads, (heapOpen - heapBefore) / 1e6,
                        (heapOpen - heapBefore) / 1e3 / n, threads == threadsBefore ? "" : " (threads before: " + threadsBefore + ")");
            });
            print(ours.name(), n, run, report);
        }
    }

    private static void nchan(int n, int run) throws Exception {
        try (NchanPeer nginx = new NchanPeer(n)) {
            Publisher peer = new Publisher() {
                public String name() {
                    return "nchan";
                }

                public int port() {
                    return nginx.port();
                }

                public String streamPath() {
                    return "/sub";
                }

                public void publish(String text) throws Exception {
                    nginx.publish("Bench: " + text);
                }

                public int subscribers() throws Exception {
                    return nginx.subscribers();
                }

                public void close() {
                }
            };
            peer.publish("warm-up");
            print(peer.name(), n, run, fanOut(peer, n, () -> String.format("%8s %9s %12s", "-", "-", "-")));
        }
    }

    private static void print(String server, int n, int run, String[] report) {
        System.out.printf(Locale.ROOT, "%-10s %8d %4d %9s %9s %9s %6s %s%n", server, n, run, report[1], report[2], report[3],
                report[4], report[5]);
    }

    /**
     * Opens N streams in a child JVM, waits until the server counts them all, then publishes {@value #WARM_UP_ROUNDS}
     * messages not measured and {@value #ROUNDS} measured, one at a time, each after every stream had the one
     * before (or the round's deadline passed).
     * Returns RESULT p50 p99 max lost, and what {@code whileOpen} says with all the streams open.
     */
    private static String[] fanOut(Publisher server, int n, java.util.concurrent.Callable<String> whileOpen) throws Exception {
        Process clients = new ProcessBuilder(BenchmarkJvm.java(),
                "-Xss256k", "-cp", BenchmarkJvm.classPath(SseBenchmark.class), Clients.class.getName(), String.valueOf(server.port()), server.streamPath(),
                String.valueOf(n), String.valueOf(ROUND_DEADLINE.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromClients = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
        PrintStream toClients = new PrintStream(clients.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            String ready = expect(fromClients, "READY");
            if (!ready.equals("READY " + n)) {
                throw new IllegalStateException(server.name() + " answered only " + ready.substring(6) + " of " + n + " streams");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.subscribers() < n && System.nanoTime() < deadline) {
                Thread.sleep(10); // a benchmark, not a test: polls the count until every stream is open
            }
            if (server.subscribers() < n) { // nchan's count may lag; a stream it truly misses shows up as lost
                System.out.println("  (" + server.name() + " counts " + server.subscribers() + " of the " + n + " open streams)");
            }
            String open = whileOpen.call();
            for (int round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round++) {
                String text = round > 0 ? "bench-" + round : "warm-up-" + (round + WARM_UP_ROUNDS);
                toClients.println("EXPECT " + text + " " + System.nanoTime() + " " + (round > 0 ? "count" : "warm-up"));
                server.publish(text);
                expect(fromClients, "GOT " + text);
            }
            toClients.println("REPORT");
            String[] result = expect(fromClients, "RESULT").split(" ");
            toClients.println("QUIT");
            clients.waitFor();
            return new String[] {result[0], result[1], result[2], result[3], result[4], open};
        } finally {
            clients.destroy();
            clients.waitFor();
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

    /**
     * The child: N raw HTTP connections to {@code path} on one selector, one thread. Told "EXPECT marker t0 count|warm-up" on stdin, it
     * reads until every stream has the marker, notes each arrival time, and answers "GOT marker".
     */
    public static final class Clients {
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            String path = args[1];
            int n = Integer.parseInt(args[2]);
            long roundDeadline = Long.parseLong(args[3]) * 1_000_000;
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Selector selector = Selector.open();
            StringBuilder[] tails = new StringBuilder[n];
            ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < n; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(request.duplicate());
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, i);
                tails[i] = new StringBuilder();
            }
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            // Open means the server has answered the request: then it counts the stream among its subscribers.
            boolean[] answered = new boolean[n];
            int unanswered = n;
            long openDeadline = System.nanoTime() + roundDeadline;
            while (unanswered > 0 && System.nanoTime() < openDeadline) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    buffer.clear();
                    if (((SocketChannel) key.channel()).read(buffer) < 0) {
                        throw new IllegalStateException("stream " + i + " ended before it opened");
                    }
                    tails[i].append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                    if (!answered[i] && tails[i].indexOf("\r\n\r\n") >= 0) {
                        answered[i] = true;
                        unanswered--;
                        tails[i].setLength(0);
                    }
                }
                selector.selectedKeys().clear();
            }
            System.out.println("READY " + (n - unanswered));
            List<Long> latencies = new ArrayList<>();
            int lost = 0;
            for (String command = commands.readLine(); command != null; command = commands.readLine()) {
                String[] words = command.split(" ");
                if (words[0].equals("EXPECT")) {
                    String marker = "data: Bench: " + words[1] + "\n";
                    long t0 = Long.parseLong(words[2]);
                    boolean counted = words[3].equals("count");
                    boolean[] got = new boolean[n];
                    int missing = n;
                    long deadline = System.nanoTime() + roundDeadline;
                    while (missing > 0 && System.nanoTime() < deadline) {
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
                                if (counted) {
                                    latencies.add(System.nanoTime() - t0);
                                }
                            }
                            if (tail.length() > 200) {
                                tail.delete(0, tail.length() - 100);
                            }
                        }
                        selector.selectedKeys().clear();
                    }
                    lost += counted ? missing : 0; // streams that did not get it before the round's deadline
                    System.out.println("GOT " + words[1]);
                } else if (words[0].equals("REPORT")) {
                    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                    System.out.println("RESULT " + ms(sorted, 0.50) + " " + ms(sorted, 0.99) + " " + ms(sorted, 1.0) + " " + lost);
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

package kata.longpoll;

import kata.harness.BenchmarkJvm;
import kata.harness.NchanPeer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: how long polling scales. N clients poll, each asking again the moment it has an answer, while
 * 10 messages a second are published; for every message and every client, how long from just before its
 * POST until that client has read it, and how many messages some client never got. The same clients run
 * against this chapter's server and, in the same run, against its peer nginx + nchan.
 *
 * <pre>
 * ulimit -n 20000   # 5,000 clients are 5,000 sockets on each side
 * mvn -q -pl chapters/02-longpoll -Psolutions test-compile exec:java \
 *     -Dkata.demo=kata.longpoll.LongPollBenchmark -Dexec.classpathScope=test [-Dexec.args="100 1000 5000"]
 * </pre>
 *
 * Our server runs in a JVM of its own (so that its threads and heap are its own), nchan in its own nginx
 * process with one worker ({@link NchanPeer}); the clients and the publisher run in this JVM, the clients on
 * one thread, the same code for both servers. Each size runs {@value #RUNS} times ({@code -Druns=N}), and the
 * peer goes first in every second run, because the machine's cores are shared and noisy and the clients' own JIT
 * warms up in the first run; the last lines give each size's median p99. Without nginx and nchan installed the
 * peer's rows are skipped, and the output says so ({@code -Dpeer=skip} skips them too).
 *
 * <p>Our server runs with the parallel collector ({@link #SERVER_JVM}; the lesson's section on costs says why) and
 * Undertow's default of one I/O thread per core. {@code -DserverJvmArgs=...} adds JVM options after those: a profiler
 * ({@code -XX:StartFlightRecording=filename=server.jfr}), another collector ({@code -XX:+UseG1GC}) or another number
 * of I/O threads ({@code -DioThreads=1}). The first {@link #WARM_UP} messages (150; {@code -DwarmUp=N}) warm both up
 * and are not counted in the latencies (they are in "lost").
 */
public final class LongPollBenchmark {
    /** Runs per size ({@code -Druns=N}): one run's p99 moves by 2× on these shared cores, the median of several far less. */
    private static final int RUNS = Integer.getInteger("runs", 3);
    private static final int PER_SECOND = 10;
    /**
     * How our server's JVM starts. G1, the default collector, spent a sixth of the server's CPU refining its
     * remembered sets: every poll writes young objects into old ones (the connection, the held set), and 5,000 held
     * polls are a lot of old objects. The parallel collector only marks a card per such write; its young pauses at
     * this heap are a few milliseconds.
     */
    private static final List<String> SERVER_JVM = List.of("-Xmx1g", "-XX:+UseParallelGC");
    /**
     * Messages that warm both servers up and are not counted. 20 (2 s) left our server's JIT still compiling in the
     * measured window: 5,000 clients p99 280-350 ms against 150 after 150 messages; nchan, which has no JIT, the same.
     */
    private static final int WARM_UP = Integer.getInteger("warmUp", 150);
    /**
     * Messages published, as fast as each is answered, before the clients connect. The paced warm-up runs the POST path
     * only 150 times, too few for the JIT's last tier; a server that has run for days has compiled it long ago. nchan
     * starts a subscriber at the newest message, our clients ask after these: neither client sees them.
     */
    private static final int PRE_PUBLISHED = 5_000;
    private static final int MEASURED = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Our server answers JSON with the text inside; nchan answers the body as it was published. */
    private static final Pattern SEQUENCE = Pattern.compile("fanout-(\\d+)\\.");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private LongPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (BenchmarkJvm.rerunAtFullSpeed(LongPollBenchmark.class, args, "peer", "serverJvmArgs", "warmUp", "runs")) {
            return;
        }
        if (args.length > 0 && args[0].equals("--server")) {
            serve();
            return;
        }
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {100, 1_000, 5_000};
        boolean peer = NchanPeer.installed();
        System.out.println("Long polling: N clients poll again after every answer; " + PER_SECOND + " messages a second, "
                + MEASURED + " measured after " + WARM_UP + " to warm up.");
        System.out.println("Latency: from just before a message's POST until a client has read the answer with it.");
        System.out.println("Our server's JVM: " + String.join(" ", SERVER_JVM) + " " + System.getProperty("serverJvmArgs", ""));
        if (!peer) {
            System.out.println("(nginx + nchan not installed at " + NchanPeer.NGINX + ", " + NchanPeer.MODULE + ", or -Dpeer=skip: peer rows skipped)");
        }
        System.out.printf(Locale.ROOT, "%n%-10s %8s %4s %9s %9s %9s %6s %15s %14s%n",
                "server", "N", "run", "p50 ms", "p99 ms", "max ms", "lost", "server threads", "heap per poll");
        List<String> medians = new ArrayList<>();
        for (int n : sizes) {
            double[] ours = new double[RUNS];
            double[] theirs = new double[RUNS];
            for (int run = 1; run <= RUNS; run++) {
                boolean peerFirst = peer && run % 2 == 0;
                if (peerFirst) {
                    theirs[run - 1] = nchan(n, run).p99;
                }
                ours[run - 1] = reference(n, run).p99;
                if (peer && !peerFirst) {
                    theirs[run - 1] = nchan(n, run).p99;
                }
            }
            medians.add(peer
                    ? String.format(Locale.ROOT, "%,8d   median p99 of %d runs: reference %.1f ms, nchan %.1f ms: %.2f×", n, RUNS,
                            median(ours), median(theirs), median(ours) / median(theirs))
                    : String.format(Locale.ROOT, "%,8d   median p99 of %d runs: reference %.1f ms", n, RUNS, median(ours)));
        }
        System.out.println();
        medians.forEach(System.out::println);
        System.out.println("\nOur server's threads with N polls held (and, in brackets, with none);");
        System.out.println("heap per poll = (used heap after a GC with N held - with none) / N.");
    }

    /** Where the clients poll and how a message reaches them. */
    private interface Target {
        int port();

        /** The next poll of a client, after what it has seen. */
        String request(Client client);

        /** What a client notes from an answer to ask for what follows it. */
        void advance(Client client, String headers, String body);

        void publish(String text) throws Exception;

        int waiting() throws Exception;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Result reference(int n, int run) throws Exception {
        String java = BenchmarkJvm.java();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SERVER_JVM);
        String jvmArgs = System.getProperty("serverJvmArgs", "").strip(); // e.g. a profiler: -XX:StartFlightRecording=...
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split(" +")));
        }
        command.addAll(List.of("-cp", BenchmarkJvm.classPath(LongPollBenchmark.class), LongPollBenchmark.class.getName(), "--server"));
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
            int port = Integer.parseInt(line(out, "port ").split(" ")[1]);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long[][] held = new long[1][];
            Target ours = new Target() {
                public int port() {
                    return port;
                }

                public String request(Client client) {
                    return "GET /messages?since=" + client.since + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
                }

                public void advance(Client client, String headers, String body) {
                    int last = body.lastIndexOf("\"id\":"); // the newest message's id is the next cursor
                    if (last >= 0) {
                        Matcher id = ID.matcher(body).region(last, body.length());
                        client.since = id.lookingAt() ? Long.parseLong(id.group(1)) : client.since;
                    }
                }

                public void publish(String text) throws Exception {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"Bench\",\"text\":\"" + text + "\"}")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("POST /messages answered " + response.statusCode());
                    }
                }

                public int waiting() throws IOException {
                    held[0] = stats(in, out);
                    return (int) held[0][0];
                }
            };
            publishBeforeTheClients(ours);
            long[] idle = stats(in, out); // the PRE_PUBLISHED messages' heap is the server's, not the polls'
            Result result = fanOut(ours, n);
            in.println("quit");
            print("reference", n, run, result, String.format(Locale.ROOT, "%8d (%d) %12s B", held[0][1], idle[1],
                    String.format(Locale.ROOT, "%,d", (held[0][2] - idle[2]) / n)));
            return result;
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static Result nchan(int n, int run) throws Exception {
        try (NchanPeer nginx = new NchanPeer(n)) {
            Target peer = new Target() {
                public int port() {
                    return nginx.port();
                }

                public String request(Client client) {
                    return "GET /sub HTTP/1.1\r\nHost: localhost\r\n"
                            + (client.lastModified == null ? "" : "If-Modified-Since: " + client.lastModified + "\r\n")
                            + (client.etag == null ? "" : "If-None-Match: " + client.etag + "\r\n") + "\r\n";
                }

                public void advance(Client client, String headers, String body) {
                    client.lastModified = header(headers, "Last-Modified", client.lastModified);
                    client.etag = header(headers, "Etag", client.etag);
                }

                public void publish(String text) throws Exception {
                    nginx.publish(text);
                }

                public int waiting() throws Exception {
                    return nginx.subscribers();
                }
            };
            publishBeforeTheClients(peer);
            Result result = fanOut(peer, n);
            print("nchan", n, run, result, String.format("%15s %14s", "-", "-"));
            return result;
        }
    }

    private static void print(String server, int n, int run, Result result, String cost) {
        System.out.printf(Locale.ROOT, "%-10s %,8d %4d %9.1f %9.1f %9.1f %6d %s%n", server, n, run,
                result.p50, result.p99, result.max, result.lost, cost);
    }

    private record Result(double p50, double p99, double max, long lost) {
    }

    /** One polling client: its connection, what it has read of the current answer, its cursor, what it got. */
    private static final class Client {
        final SocketChannel channel;
        final ByteArrayOutputStream answer = new ByteArrayOutputStream();
        final BitSet got = new BitSet();
        long since;
        String lastModified;
        String etag;

        Client(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Publishes the {@link #PRE_PUBLISHED} messages, each as soon as the one before is answered. */
    private static void publishBeforeTheClients(Target target) throws Exception {
        for (int k = 1; k <= PRE_PUBLISHED; k++) {
            target.publish("before the clients " + k);
        }
    }

    /**
     * Opens N connections and sends each one's first poll, waits until the server holds them all, then
     * publishes {@code WARM_UP + MEASURED} messages at {@code PER_SECOND} while one thread reads the answers
     * and polls again; ends when every client has every message, or at the deadline.
     */
    private static Result fanOut(Target target, int n) throws Exception {
        int messages = WARM_UP + MEASURED;
        AtomicLongArray published = new AtomicLongArray(messages + 1);
        long[] latencies = new long[n * MEASURED];
        int[] measured = {0};
        List<Client> clients = new ArrayList<>(n);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                Client client = new Client(SocketChannel.open(new InetSocketAddress("127.0.0.1", target.port())));
                client.since = PRE_PUBLISHED; // our server's ids count from 1: the cursor after the messages above
                client.channel.configureBlocking(false);
                client.channel.register(selector, SelectionKey.OP_READ, client);
                clients.add(client);
                send(client, target.request(client));
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (target.waiting() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server holds only " + target.waiting() + " of " + n + " polls");
                }
                Thread.sleep(20); // a benchmark, not a test: polls the count until every poll is held
            }
            Thread reader = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                int complete = 0;
                long end = Long.MAX_VALUE;
                try {
                    while (complete < n && System.nanoTime() < end) {
                        selector.select(100);
                        if (end == Long.MAX_VALUE && published.get(messages) != 0) {
                            end = System.nanoTime() + DEADLINE.toNanos(); // the last message is out: wait for it, not forever
                        }
                        for (SelectionKey key : selector.selectedKeys()) {
                            Client client = (Client) key.attachment();
                            buffer.clear();
                            if (client.channel.read(buffer) < 0) {
                                throw new IllegalStateException("the server closed a poll's connection");
                            }
                            client.answer.write(buffer.array(), 0, buffer.position());
                            byte[] bytes = client.answer.toByteArray();
                            int headersEnd = headersEnd(bytes);
                            if (headersEnd < 0) {
                                continue;
                            }
                            String headers = new String(bytes, 0, headersEnd, StandardCharsets.ISO_8859_1);
                            int length = Integer.parseInt(header(headers, "Content-Length", "-1"));
                            if (length < 0) {
                                throw new IllegalStateException("an answer without Content-Length: " + headers);
                            }
                            if (bytes.length < headersEnd + 4 + length) {
                                continue;
                            }
                            long now = System.nanoTime();
                            String body = new String(bytes, headersEnd + 4, length, StandardCharsets.UTF_8);
                            client.answer.reset();
                            Matcher sequence = SEQUENCE.matcher(body);
                            while (sequence.find()) {
                                int k = Integer.parseInt(sequence.group(1));
                                if (!client.got.get(k)) {
                                    client.got.set(k);
                                    if (k > WARM_UP) {
                                        latencies[measured[0]++] = now - published.get(k);
                                    }
                                    if (k == messages) {
                                        complete++;
                                    }
                                }
                            }
                            target.advance(client, headers, body);
                            send(client, target.request(client));
                        }
                        selector.selectedKeys().clear();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "clients");
            reader.start();
            long start = System.nanoTime();
            for (int k = 1; k <= messages; k++) {
                long due = start + (k - 1) * 1_000_000_000L / PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                published.set(k, System.nanoTime());
                target.publish("fanout-" + k + ".");
            }
            reader.join();
        } finally {
            for (Client client : clients) {
                client.channel.close();
            }
        }
        long lost = 0;
        for (Client client : clients) {
            lost += messages - client.got.cardinality();
        }
        double[] sorted = Arrays.stream(latencies, 0, measured[0]).mapToDouble(nanos -> nanos / 1e6).sorted().toArray();
        return new Result(percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100), lost);
    }

    private static void send(Client client, String request) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            client.channel.write(bytes); // a few hundred bytes into an empty socket buffer: written at once
        }
    }

    /** Where the blank line after an answer's headers starts, or -1 while it has not arrived. */
    private static int headersEnd(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String header(String headers, String name, String otherwise) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return otherwise;
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    /** The server's next line that starts with {@code prefix}; others (a profiler's, say) are passed on. */
    private static String line(BufferedReader out, String prefix) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("  server: " + line);
        }
        throw new IllegalStateException("the server process ended before it said " + prefix);
    }

    /** Asks the server process for: polls held, threads, used heap after a GC. */
    private static long[] stats(PrintWriter in, BufferedReader out) throws IOException {
        in.println("stats");
        String[] parts = line(out, "stats ").split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    /** The server side: a long-polling server that answers "stats" on its standard input. */
    private static void serve() throws IOException {
        kata.harness.QuietLogs.install();
        LongPollServer.Options options = LongPollServer.options().hold(Duration.ofMinutes(5)).maxHeld(100_000);
        Integer ioThreads = Integer.getInteger("ioThreads"); // -DserverJvmArgs=-DioThreads=1: the server's I/O threads
        if (ioThreads != null) {
            options.ioThreads(ioThreads);
        }
        try (LongPollServer server = options.start()) {
            System.out.println("port " + server.port());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                System.out.println("stats " + server.waitingCount() + " " + threads + " " + heap);
            }
        }
    }
}

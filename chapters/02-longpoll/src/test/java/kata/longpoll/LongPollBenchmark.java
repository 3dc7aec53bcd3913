package kata.longpoll;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
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

/**
 * Not a test: how long polling scales. N clients hold a poll each, one message is published, and we
 * time how long until every one of them has it; and we look at what holding N polls costs the server in
 * threads and heap.
 *
 * <pre>
 * mvn -q -pl chapters/02-longpoll -Psolutions test-compile exec:java \
 *     -Dexec.mainClass=kata.longpoll.LongPollBenchmark -Dexec.classpathScope=test [-Dexec.args="1000 10000"]
 * </pre>
 *
 * The server runs in a process
 * of its own, so that its threads and heap are its own and each process stays within its limit of open
 * files: 10,000 held polls are 10,000 sockets on each side.
 */
public final class LongPollBenchmark {
    private LongPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--server")) {
            serve();
            return;
        }
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1_000, 10_000};
        System.out.println("Long polling: N clients hold a poll each, then one message is published.");
        System.out.println("Latency: from just before the POST until a client has read its whole answer.");
        System.out.printf("%n%8s %9s %9s %12s %15s %15s%n",
                "N", "p50 ms", "p99 ms", "all have it", "server threads", "heap per poll");
        for (int n : sizes) {
            Row row = run(n);
            System.out.printf("%,8d %9.1f %9.1f %9.1f ms %8d (%d) %13s B%n", n, row.p50, row.p99, row.all,
                    row.heldThreads, row.idleThreads, String.format("%,d", row.heapPerPoll));
        }
        System.out.println("\nThreads and heap are the server process's, with N polls held (and, in brackets, with none);");
        System.out.println("heap per poll = (used heap after a GC with N held - with none) / N.");
    }

    private record Row(double p50, double p99, double all, int heldThreads, int idleThreads, long heapPerPoll) {
    }

    private record Stats(int waiting, int threads, long heapUsed) {
    }

    private static Row run(int n) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx1g", "-cp", classPath(),
                LongPollBenchmark.class.getName(), "--server")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
             Selector selector = Selector.open()) {
            int port = Integer.parseInt(out.readLine().split(" ")[1]);
            HttpClient http = HttpClient.newHttpClient();
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.discarding()); // warm: the first request of a JDK client is slow
            Stats idle = stats(in, out);

            List<SocketChannel> clients = new ArrayList<>(n);
            byte[] request = ("GET /messages?since=0 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < n; i++) {
                SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                client.write(ByteBuffer.wrap(request));
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ);
                clients.add(client);
            }
            Stats held = stats(in, out);
            long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (held.waiting < n) {
                if (System.nanoTime() > waitUntil) {
                    throw new IllegalStateException("the server holds only " + held.waiting + " of " + n + " polls");
                }
                Thread.sleep(100);
                held = stats(in, out);
            }

            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"Alice\",\"text\":\"to everyone\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());

            double[] latencies = new double[n];
            int done = 0;
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (done < n) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel client = (SocketChannel) key.channel();
                    buffer.clear();
                    if (client.read(buffer) < 0) { // the server closes the connection after the answer
                        latencies[done++] = (System.nanoTime() - start) / 1e6;
                        key.cancel();
                        client.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            in.println("quit");
            Arrays.sort(latencies);
            return new Row(percentile(latencies, 50), percentile(latencies, 99), latencies[n - 1],
                    held.threads, idle.threads, (held.heapUsed - idle.heapUsed) / n);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** This program's class path, also when it runs inside Maven (exec:java loads it with a class loader of its own). */
    private static String classPath() {
        if (LongPollBenchmark.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Stats stats(PrintWriter in, BufferedReader out) throws IOException {
        in.println("stats");
        String[] parts = out.readLine().split(" ");
        return new Stats(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
    }

    /** The server side: a long-polling server that answers "stats" on its standard input. */
    private static void serve() throws IOException {
        kata.harness.QuietLogs.install();
        try (LongPollServer server = LongPollServer.options().hold(Duration.ofMinutes(5)).maxHeld(100_000).start()) {
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

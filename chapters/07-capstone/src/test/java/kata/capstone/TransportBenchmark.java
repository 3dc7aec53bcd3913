package kata.capstone;

import kata.harness.BenchmarkJvm;
import kata.harness.NchanPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the same chat through every chapter's reference server, measured. N readers, M messages
 * posted at R per second, on loopback; one table, also as CSV and as an SVG chart in {@code target/capstone/}.
 *
 * <pre>
 * mvn -q -pl chapters/07-capstone -Psolutions,bench process-test-classes
 * mvn -q -pl chapters/07-capstone -Psolutions,bench process-test-classes -Dexec.args="--clients 10000 --poll 1000,5000"
 * </pre>
 *
 * Flags: {@code --clients N} (200), {@code --messages M} (25), {@code --rate R} messages per second (5),
 * {@code --poll FAST,SLOW} polling intervals in ms (250,2000), {@code --only a,b} rows whose name contains a or b.
 *
 * <p>Each server runs alone in a child JVM ({@link ServerProcess}): its CPU time is that process's, from the
 * moment every reader is connected to the last delivery (JIT and GC included: they are its cost too); its
 * threads are the peak over that time; its heap is what is left after a full GC at the end, with every
 * reader still connected. The readers and the sender ({@link LoopbackClients}) run here, on one thread.
 *
 * <p>Where nginx with the nchan module is installed, the long poll, SSE and WebSocket rows each have a peer row:
 * nchan ({@link kata.harness.NchanPeer}, one worker process), the same readers and sender on its protocol.
 */
public final class TransportBenchmark {
    record Row(Transport transport, LoopbackClients.Result result, long cpuNanos, int threads, long heapBytes) {
        double requestsPerDelivery() {
            return (double) result.requests() / Math.max(1, result.delivered());
        }

        double bytesPerDelivery() {
            return (double) result.bytes() / Math.max(1, result.delivered());
        }

        double latencyMillis(double quantile) {
            long[] sorted = result.latencies();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
            return sorted[index] / 1e6;
        }
    }

    private TransportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (BenchmarkJvm.rerunAtFullSpeed(TransportBenchmark.class, args, "kata.capstone.out", "peer")) {
            return;
        }
        kata.harness.QuietLogs.install();
        int clients = 200;
        int messages = 25;
        double rate = 5;
        Duration fast = Duration.ofMillis(250);
        Duration slow = Duration.ofMillis(2000);
        List<String> only = List.of();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--poll" -> {
                    String[] both = args[i + 1].split(",");
                    fast = Duration.ofMillis(Long.parseLong(both[0]));
                    slow = Duration.ofMillis(Long.parseLong(both[1]));
                }
                case "--only" -> only = Arrays.asList(args[i + 1].toLowerCase(Locale.ROOT).split(","));
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (--clients, --messages, --rate, --poll FAST,SLOW, --only a,b)");
            }
        }
        String scenario = String.format(Locale.ROOT, "%d readers, %d messages at %s/s, loopback, %d cores", clients, messages,
                rate % 1 == 0 ? String.valueOf((int) rate) : String.valueOf(rate), Runtime.getRuntime().availableProcessors());
        System.out.println("The capstone's benchmark: " + scenario + ". Each server alone in a child JVM.\n");

        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Transport transport : Transport.all(fast, slow)) {
            List<String> wanted = only;
            if (!wanted.isEmpty() && wanted.stream().noneMatch(w -> transport.name().toLowerCase(Locale.ROOT).contains(w))) {
                continue;
            }
            if (!transport.available()) {
                notes.add(transport.peer()
                        ? transport.name() + ": nginx with the nchan module is not installed here (Debian: apt-get install"
                                + " nginx-light libnginx-mod-nchan), or -Dpeer=skip: left out"
                        : transport.name() + ": chapter " + transport.chapter() + " is not on the class path (not in this"
                                + " checkout yet, or not a dependency of the bench profile): left out");
                continue;
            }
            System.out.print("  " + transport.name() + " …");
            System.out.flush();
            Row row = measure(transport, clients, messages, rate);
            rows.add(row);
            System.out.printf(Locale.ROOT, " %d of %d delivered%n", row.result().delivered(), row.result().expected());
        }
        System.out.println();
        String table = Results.table(rows);
        System.out.print(table);
        notes.forEach(note -> System.out.println("  (" + note + ")"));

        Path out = outputFolder();
        Files.createDirectories(out);
        Files.writeString(out.resolve("transports.csv"), Results.csv(rows));
        Files.writeString(out.resolve("transports.svg"), Results.svg(rows, scenario));
        Files.writeString(out.resolve("transports.txt"), scenario + "\n\n" + table);
        System.out.println("\nWritten: " + out.resolve("transports.csv") + ", " + out.resolve("transports.svg"));
    }

    private static Row measure(Transport transport, int clients, int messages, double rate) throws Exception {
        if (transport.peer()) {
            return measurePeer(transport, clients, messages, rate);
        }
        Process server = new ProcessBuilder(BenchmarkJvm.java(),
                "-XX:+UseSerialGC", "-cp", BenchmarkJvm.classPath(TransportBenchmark.class), ServerProcess.class.getName(), transport.server())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintStream toServer = new PrintStream(server.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            String[] ready = expect(fromServer, "READY").split(" ");
            int readPort = Integer.parseInt(ready[1]);
            int postPort = Integer.parseInt(ready[2]);
            refuseStub(transport, readPort, postPort);
            try (LoopbackClients readers = new LoopbackClients(transport, readPort, postPort, clients, messages, rate)) {
                readers.connect(Duration.ofSeconds(30 + clients / 100));
                toServer.println("MARK");
                expect(fromServer, "MARKED");
                LoopbackClients.Result result = readers.run();
                toServer.println("STATS");
                String[] stats = expect(fromServer, "STATS").split(" ");
                return new Row(transport, result, Long.parseLong(stats[1]), Integer.parseInt(stats[2]), Long.parseLong(stats[4]));
            } catch (LoopbackClients.StubFound stub) {
                throw stub(transport, stub.getMessage());
            }
        } finally {
            toServer.println("QUIT");
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * The same readers and sender against nchan, in a process of its own: its CPU time over the same window (every
     * reader connected to the last delivery); threads and heap are a JVM's columns, left empty.
     */
    private static Row measurePeer(Transport transport, int clients, int messages, double rate) throws Exception {
        try (NchanPeer nchan = new NchanPeer(clients);
             LoopbackClients readers = new LoopbackClients(transport, nchan.port(), nchan.port(), clients, messages, rate)) {
            readers.connect(Duration.ofSeconds(30 + clients / 100));
            long cpuBefore = nchan.cpuNanos();
            LoopbackClients.Result result = readers.run();
            long cpuAfter = nchan.cpuNanos();
            return new Row(transport, result, cpuBefore < 0 ? -1 : cpuAfter - cpuBefore, -1, -1);
        }
    }

    /** The benchmark measures the reference solutions: a stub's 501 would make every figure meaningless. */
    private static void refuseStub(Transport transport, int readPort, int postPort) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest probe = transport.receive() == Transport.Receive.WEBSOCKET
                ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + readPort + "/ws?name=Probe")).timeout(Duration.ofSeconds(5)).build()
                : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + postPort + "/messages")).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"Probe\",\"text\":\"is anyone there?\"}")).build();
        HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 501) {
            throw stub(transport, probe.method() + " " + probe.uri().getPath() + " answered 501 Not Implemented");
        }
    }

    private static IllegalStateException stub(Transport transport, String seen) {
        return new IllegalStateException("Chapter " + transport.chapter() + " is still its stub here (" + seen + "). The"
                + " benchmark measures the reference solutions: run it with -Psolutions,bench, as README.md says.");
    }

    private static String expect(BufferedReader in, String prefix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("    server: " + line);
        }
        throw new IllegalStateException("the server's process ended before it said " + prefix);
    }

    private static Path outputFolder() {
        String configured = System.getProperty("kata.capstone.out");
        if (configured != null) {
            return Path.of(configured);
        }
        Path chapter = Path.of("chapters", "07-capstone");
        return Files.isDirectory(chapter) ? chapter.resolve("target/capstone") : Path.of("target", "capstone");
    }
}

package kata.capstone;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of the benchmark: one chapter's server, alone in its process, so that its threads, heap and
 * CPU time are its own and nobody else's. Started by {@link TransportBenchmark}; talks on stdin/stdout.
 *
 * <pre>
 * → (start)    READY readPort postPort
 * ← MARK       the CPU clock and the thread peak start again from here → MARKED
 * ← STATS      → STATS cpuNanosSinceMark peakThreads liveThreads heapBytesAfterGc
 * ← QUIT       stops the server and the process
 * </pre>
 *
 * The servers are found by name and started by reflection ({@code start(int port)}), so this class compiles
 * without the other chapters; the benchmark runs with them on the class path ({@code -Psolutions,bench}).
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        kata.harness.QuietLogs.install();
        String serverClass = args[0];
        AutoCloseable[] servers = start(serverClass);
        int readPort = port(servers[0]);
        int postPort = port(servers[servers.length - 1]);
        System.out.println("READY " + readPort + " " + postPort);

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long cpuAtMark = os.getProcessCpuTime();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            switch (command) {
                case "MARK" -> {
                    cpuAtMark = os.getProcessCpuTime();
                    threads.resetPeakThreadCount();
                    System.out.println("MARKED");
                }
                case "STATS" -> {
                    long cpu = os.getProcessCpuTime() - cpuAtMark; // read before the collections below
                    int peak = threads.getPeakThreadCount();
                    int live = threads.getThreadCount();
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                    }
                    long heap = memory.getHeapMemoryUsage().getUsed();
                    System.out.println("STATS " + cpu + " " + peak + " " + live + " " + heap);
                }
                case "QUIT" -> {
                    for (AutoCloseable server : servers) {
                        server.close();
                    }
                    System.exit(0);
                }
                default -> System.out.println("UNKNOWN " + command);
            }
        }
        System.exit(0); // the parent went away
    }

    /** The server, or for JSONP the API (which pages read) and the chat site (which pages post to). */
    private static AutoCloseable[] start(String serverClass) throws ReflectiveOperationException {
        Class<?> type = Class.forName(serverClass);
        AutoCloseable server = (AutoCloseable) type.getMethod("start", int.class).invoke(null, 0);
        if (serverClass.equals("kata.jsonp.ChatApi")) {
            Class<?> site = Class.forName("kata.jsonp.ChatSite");
            AutoCloseable chatSite = (AutoCloseable) site.getMethod("start", int.class, type, String.class)
                    .invoke(null, 0, server, "http://127.0.0.1:" + port(server));
            return new AutoCloseable[] {server, chatSite};
        }
        return new AutoCloseable[] {server};
    }

    private static int port(AutoCloseable server) throws ReflectiveOperationException {
        return (int) server.getClass().getMethod("port").invoke(server);
    }
}

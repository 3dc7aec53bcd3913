package kata.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How close the waits that succeeded came to their deadline, for sizing the deadlines on a crowded machine
 * ({@code scripts/repeat --load K} turns it on): with {@code -Dkata.waits.log=FILE}, each test JVM appends its
 * slowest successful waits to FILE when it ends. Off by default: a learner's run writes nothing.
 */
final class SlowestWaits {
    private static final String FILE = System.getProperty("kata.waits.log", "");
    private static final int KEPT = 5;
    private static final List<String[]> slowest = new ArrayList<>(); // {nanos, line}; guarded by itself

    static {
        if (!FILE.isBlank()) {
            Runtime.getRuntime().addShutdownHook(new Thread(SlowestWaits::write, "kata-slowest-waits"));
        }
    }

    private SlowestWaits() {
    }

    static void succeeded(String what, long nanos, Duration deadline) {
        if (FILE.isBlank()) {
            return;
        }
        String line = String.format(Locale.ROOT, "%6d ms of %6d ms  %s", nanos / 1_000_000, deadline.toMillis(),
                what.length() > 160 ? what.substring(0, 160) + "…" : what);
        synchronized (slowest) {
            slowest.add(new String[] {Long.toString(nanos), line});
            slowest.sort(Comparator.comparingLong((String[] entry) -> Long.parseLong(entry[0])).reversed());
            if (slowest.size() > KEPT) {
                slowest.remove(KEPT);
            }
        }
    }

    private static void write() {
        StringBuilder out = new StringBuilder();
        synchronized (slowest) {
            slowest.forEach(entry -> out.append(entry[1]).append('\n'));
        }
        try {
            Files.writeString(Path.of(FILE), out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a measurement only
        }
    }
}

package kata.capstone;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The benchmark's rows as a table for the terminal, as CSV, and as an SVG chart of four panels. */
final class Results {
    private Results() {
    }

    static String table(List<TransportBenchmark.Row> rows) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-20s %9s %9s %8s %8s %8s %8s %8s %8s %11s%n", "transport", "req/msg",
                "bytes/msg", "p50 ms", "p99 ms", "max ms", "threads", "heap MB", "CPU ms", "delivered"));
        for (TransportBenchmark.Row row : rows) {
            LoopbackClients.Result r = row.result();
            table.append(String.format(Locale.ROOT, "%-20s %9.2f %9.0f %8.1f %8.1f %8.1f %8s %8s %8s %11s%n",
                    row.transport().name(), row.requestsPerDelivery(), row.bytesPerDelivery(), row.latencyMillis(0.50),
                    row.latencyMillis(0.99), row.latencyMillis(1.0), orElse(row.threads(), "%d", "-"),
                    orElse(row.heapBytes() / 1e6, "%.1f", "-"), orElse(row.cpuNanos() / 1e6, "%.0f", "-"), delivered(r)));
        }
        return table.toString();
    }

    /**
     * A column the row does not have (a peer's threads and heap: it is not a JVM) is shown as {@code none}: "-" in the
     * table, empty in the CSV.
     */
    private static String orElse(Number value, String format, String none) {
        return value.doubleValue() < 0 ? none : String.format(Locale.ROOT, format, value);
    }

    private static String delivered(LoopbackClients.Result r) {
        String shown = r.delivered() == r.expected() ? "all" : r.delivered() + "/" + r.expected();
        return r.duplicates() == 0 ? shown : shown + " +" + r.duplicates() + " dup";
    }

    static String csv(List<TransportBenchmark.Row> rows) {
        StringBuilder csv = new StringBuilder("transport,requests_per_message,bytes_per_message,p50_ms,p99_ms,max_ms,"
                + "server_threads,server_heap_mb,server_cpu_ms,delivered,expected,duplicates\n");
        for (TransportBenchmark.Row row : rows) {
            LoopbackClients.Result r = row.result();
            csv.append(String.format(Locale.ROOT, "%s,%.3f,%.1f,%.2f,%.2f,%.2f,%s,%s,%s,%d,%d,%d%n", row.transport().name(),
                    row.requestsPerDelivery(), row.bytesPerDelivery(), row.latencyMillis(0.50), row.latencyMillis(0.99),
                    row.latencyMillis(1.0), orElse(row.threads(), "%d", ""), orElse(row.heapBytes() / 1e6, "%.2f", ""),
                    orElse(row.cpuNanos() / 1e6, "%.0f", ""), r.delivered(), r.expected(), r.duplicates()));
        }
        return csv.toString();
    }

    private record Panel(String title, ToDoubleFunction<TransportBenchmark.Row> value, String format) {
    }

    /** Four panels side by side, one horizontal bar per transport in each; shorter is better everywhere. */
    static String svg(List<TransportBenchmark.Row> rows, String scenario) {
        List<Panel> panels = List.of(
                new Panel("HTTP requests per delivered message", TransportBenchmark.Row::requestsPerDelivery, "%.2f"),
                new Panel("bytes on the wire per delivered message", TransportBenchmark.Row::bytesPerDelivery, "%.0f"),
                new Panel("delivery latency p99, ms", row -> row.latencyMillis(0.99), "%.0f"),
                new Panel("server CPU time, ms", row -> row.cpuNanos() / 1e6, "%.0f"));
        int label = 150;
        int bars = 190;
        int panelWidth = bars + 90;
        int rowHeight = 22;
        int top = 60;
        int width = label + panels.size() * panelWidth + 10;
        int height = top + rows.size() * rowHeight + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"system-ui, sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">"
                + "One chat, six ways: shorter is better</text>%n<text x=\"10\" y=\"38\" fill=\"#555\">%s</text>%n", escape(scenario)));
        for (int i = 0; i < rows.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", top + i * rowHeight + 15,
                    escape(rows.get(i).transport().name())));
        }
        String[] colors = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2"};
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            int x = label + p * panelWidth;
            double max = rows.stream().mapToDouble(panel.value()).filter(v -> !Double.isNaN(v)).max().orElse(1);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x, top - 6,
                    escape(panel.title())));
            for (int i = 0; i < rows.size(); i++) {
                double value = panel.value().applyAsDouble(rows.get(i));
                double shown = Double.isNaN(value) ? 0 : value;
                int length = max <= 0 ? 0 : (int) Math.round(bars * shown / max);
                int y = top + i * rowHeight + 3;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y, Math.max(1, length), colors[p], x + length + 4, y + 12,
                        String.format(Locale.ROOT, panel.format(), shown)));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

package kata.scaleout;

import java.net.URI;
import java.util.List;

/**
 * The demo: two nodes and a balancer in front of them, all sharing one Redis. Given code.
 *
 * <pre>
 * redis-server --port 6379 --save "" --appendonly no     # in another terminal (or a Redis you already run)
 * mvn -q -pl chapters/08-scale-out compile exec:java      # -Dexec.args=redis://127.0.0.1:6380 for another Redis
 * </pre>
 *
 * Then open node A, node B and the balancer in tabs of their own, as different people, and chat.
 */
public final class ScaleOutDemo {
    private ScaleOutDemo() {
    }

    public static void main(String[] args) {
        String redis = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        ChatNode a;
        try {
            a = ChatNode.start(8081, NodeConfig.of("A", redis));
        } catch (RuntimeException e) {
            System.err.println("Cannot reach Redis at " + redis + " (" + e.getMessage() + "). Start one with:"
                    + " redis-server --port 6379 --save \"\" --appendonly no   (install: sudo apt-get install redis-server)");
            System.exit(1);
            return;
        }
        ChatNode b = ChatNode.start(8082, NodeConfig.of("B", redis));
        Balancer balancer = Balancer.start(8080, List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            balancer.close();
            a.close();
            b.close();
        }));
        System.out.println("Chapter 08 (scale-out), sharing Redis at " + redis + ":");
        System.out.println("  node A    http://localhost:8081/?name=Alice");
        System.out.println("  node B    http://localhost:8082/?name=Bob&transport=sse");
        System.out.println("  balancer  http://localhost:8080/?name=Carol   (round-robin over A and B)");
        System.out.println("Ctrl+C stops them. Stop a node or Redis and watch the pages recover.");
    }
}

package kata.scaleout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import kata.harness.Eventually;
import kata.harness.QuietLogs;
import kata.harness.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node that cannot start says why, and lets go of what it opened: a supervisor may try again and again. */
class NodeStartTest {
    @RegisterExtension
    final RedisServer redis = new RedisServer();

    @Test
    @kata.harness.Lesson("§5 A node goes away")
    void aNodeThatCannotStartSaysWhyAndLetsGoOfWhatItOpened() throws IOException {
        QuietLogs.install();
        Set<Thread> before = redisClientThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> ChatNode.start(port, NodeConfig.of("C", redis.uri())).close(),
                    "a node cannot listen on a port another program holds: ChatNode.start should fail");
            assertTrue(String.valueOf(refused.getMessage()).contains(String.valueOf(port)), "the failure should say which "
                    + "node and which port (127.0.0.1:" + port + ") could not be had, for the operator to see: " + refused);
            Eventually.until("node C could not listen, so it should close the connections it had opened to Redis "
                    + "(Redis counts its clients: CLIENT LIST)", () -> redis.clients() == 0,
                    () -> redis.clients() + " clients still connected");
        }

        int nowhere;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = free.getLocalPort(); // closed again: nothing listens there
        }
        RuntimeException unreachable = assertThrows(RuntimeException.class,
                () -> ChatNode.start(0, NodeConfig.of("D", "redis://127.0.0.1:" + nowhere)).close(),
                "a node without its Redis cannot work: ChatNode.start should fail");
        assertTrue(String.valueOf(unreachable.getMessage()).contains(String.valueOf(nowhere)), "the failure should say "
                + "which Redis could not be reached (port " + nowhere + "): " + unreachable);

        // A node that ran and stops (a deploy) lets go of what it opened too.
        ChatNode.start(0, NodeConfig.of("E", redis.uri())).close();
        Eventually.until("node E stopped (ChatNode.close()), so it should close its connections to Redis, the reader's "
                + "too (Redis counts its clients: CLIENT LIST)", () -> redis.clients() == 0,
                () -> redis.clients() + " clients still connected");
        Eventually.until("nodes that could not start should leave no Redis client threads behind (the client and "
                        + "its resources are shut down)", () -> redisClientThreads().stream().allMatch(before::contains),
                () -> "still running: " + names(redisClientThreads(), before));
    }

    /** The threads of Lettuce, the Redis client: its event loops and timers. */
    static Set<Thread> redisClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("lettuce-"))
                .collect(Collectors.toSet());
    }

    static List<String> names(Set<Thread> threads, Set<Thread> before) {
        return threads.stream().filter(thread -> !before.contains(thread)).map(Thread::getName).sorted().toList();
    }
}

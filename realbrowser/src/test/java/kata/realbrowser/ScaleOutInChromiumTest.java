package kata.realbrowser;

import java.time.Duration;
import kata.harness.RedisServer;
import kata.harness.Served;
import kata.scaleout.ChatNode;
import kata.scaleout.NodeConfig;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 08's story in real Chromium: Alice on node A (long polling) and Bob on node B (Server-Sent Events,
 * Chromium's own EventSource), one conversation through a real Redis stream.
 */
class ScaleOutInChromiumTest {
    @RegisterExtension
    @Order(1)
    final RedisServer redis = new RedisServer();
    @RegisterExtension
    @Order(2)
    final Served<ChatNode> a = Served.by(() -> ChatNode.start(0, config("A")), ChatNode::port);
    @RegisterExtension
    @Order(3)
    final Served<ChatNode> b = Served.by(() -> ChatNode.start(0, config("B")), ChatNode::port);

    private NodeConfig config(String name) {
        return NodeConfig.of(name, redis.uri()).withHold(Duration.ofSeconds(2)).withRetry(Duration.ofMillis(300));
    }

    @Test
    void aliceOnNodeAAndBobOnNodeBShareOneConversation() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(a.url("/?name=Alice&transport=longpoll"));
            bob.open(b.url("/?name=Bob&transport=sse"));

            alice.send("one");
            alice.waitForMessages("Alice: one");
            alice.send("two");
            bob.waitForMessages("Alice: one", "Alice: two");
            bob.send("three");

            alice.waitForMessages("Alice: one", "Alice: two", "Bob: three");
            bob.waitForMessages("Alice: one", "Alice: two", "Bob: three");
        }
    }
}

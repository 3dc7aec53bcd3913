package kata.scaleout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.ConcurrentRequests;
import kata.harness.Lesson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alice, Bob and Carol in browsers of their own, on different nodes of one chat: every story runs with
 * long polling and with Server-Sent Events.
 */
class ScaleOutChatTest {
    static {
        ConcurrentRequests.install(); // a held long poll must not hold up the page's other requests
    }

    // Browsers first: extensions stop in reverse order, so the nodes stop first and break the held polls,
    // and the browsers then close at once instead of waiting for them.
    @RegisterExtension
    final Browsers browsers = new Browsers();
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes();

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Lesson("§2 One stream, every node")
    void bobOnNodeBSeesAlicesMessagesFromNodeAInOrderOnceEach(Transport transport) {
        ChatPage alice = browsers.chat("Alice", nodes.a(transport.page("Alice")));
        ChatPage bob = browsers.chat("Bob", nodes.b(transport.page("Bob")));

        alice.send("one");
        alice.waitForMessages("Alice: one");
        alice.send("two");
        bob.waitForMessages("Alice: one", "Alice: two");
        bob.send("three");

        String[] everything = {"Alice: one", "Alice: two", "Bob: three"};
        alice.waitForMessages(everything);
        bob.waitForMessages(everything);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Lesson("§4 Stream ids are the cursor")
    void bobMovedFromNodeAToNodeBMidConversationMissesNothing(Transport transport) {
        ChatPage alice = browsers.chat("Alice", nodes.a(transport.page("Alice")));
        ChatPage bob = browsers.chat("Bob", nodes.balanced(transport.page("Bob")));
        alice.send("one");
        alice.waitForMessages("Alice: one");
        alice.send("two");
        bob.waitForMessages("Alice: one", "Alice: two");

        nodes.balancerOnA().moveTo(nodes.nodeB()); // node A is drained: Bob's connection breaks
        alice.send("three");
        alice.waitForMessages("Alice: one", "Alice: two", "Alice: three");
        alice.send("four");

        bob.waitForMessages("Alice: one", "Alice: two", "Alice: three", "Alice: four");
        List<String> served = nodes.balancerOnA().served();
        assertTrue(served.stream().anyMatch(s -> s.startsWith("GET /" + (transport == Transport.LONG_POLLING ? "messages" : "events")) && s.endsWith(" B")),
                "After the move, node B should have served Bob's page; the balancer saw: " + served);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Lesson("§5 A node goes away")
    void nodeARestartsWhileMessagesFlowAndItsClientsCatchUp(Transport transport) {
        ChatPage alice = browsers.chat("Alice", nodes.a(transport.page("Alice")));
        ChatPage carol = browsers.chat("Carol", nodes.a(transport.page("Carol")));
        ChatPage bob = browsers.chat("Bob", nodes.b(transport.page("Bob")));
        alice.send("before the restart");
        bob.waitForMessages("Alice: before the restart");
        carol.waitForMessages("Alice: before the restart");

        nodes.stopA();
        bob.send("while A is down");
        bob.waitForMessages("Alice: before the restart", "Bob: while A is down");
        bob.send("still down");
        bob.waitForMessages("Alice: before the restart", "Bob: while A is down", "Bob: still down");
        nodes.startA();
        bob.send("A is back");

        String[] everything = {"Alice: before the restart", "Bob: while A is down", "Bob: still down", "Bob: A is back"};
        bob.waitForMessages(everything);
        alice.waitForMessages(everything);
        carol.waitForMessages(everything);
    }
}

package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alice and Bob, each in a browser of their own, chatting through the polling server. */
class PollingChatTest {
    @RegisterExtension
    final Served<PollingServer> app = Served.by(() -> PollingServer.start(0), PollingServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** The page polls every 100 ms in these tests, so a message shows within a few tenths of a second. */
    private ChatPage open(String person) {
        return browsers.chat(person, app.url("/?name=" + person + "&interval=100"));
    }

    @Test
    @Lesson("§2 Sending and receiving")
    void bobSeesAlicesMessageWithoutReloading() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("Hello Bob");

        bob.waitForMessages("Alice: Hello Bob");
    }

    @Test
    @Lesson("§3 The since cursor")
    void messagesArriveInOrderEachOnceForEveryone() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("one");
        alice.waitForMessages("Alice: one");
        bob.send("two");
        bob.waitForMessages("Alice: one", "Bob: two");
        alice.send("three");

        String[] everything = {"Alice: one", "Bob: two", "Alice: three"};
        bob.waitForMessages(everything);
        alice.waitForMessages(everything);
        // Several more polls find nothing new: nothing may be shown twice.
        bob.browser().waitUntil("Bob's page should keep polling", () -> pollsBy(bob) >= 5, () -> pollsBy(bob) + " polls");
        assertEquals(java.util.List.of(everything), bob.messages(),
                "Bob's page showed a message twice: each poll must ask only for what is newer than the last id shown");
    }

    @Test
    @Lesson("§5 Pitfalls: text is not HTML")
    void messageTextIsShownAsTextAndNeverRunAsHtml() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        String attack = "<img src=x onerror=\"window.pwned=1\"><b>bold?</b>";

        alice.send(attack);

        bob.waitForMessages("Alice: " + attack);
        assertEquals(0, bob.browser().count("#messages img, #messages b"),
                "Bob's page turned Alice's text into HTML elements: show it with textContent, never innerHTML");
        assertEquals("undefined", bob.browser().eval("typeof window.pwned"), "Alice's text ran code in Bob's page");
    }

    private static long pollsBy(ChatPage page) {
        return page.browser().exchanges().stream().filter(e -> e.startsWith("GET /messages")).count();
    }
}

package kata.realbrowser;

import java.time.Duration;
import kata.harness.Served;
import kata.longpoll.LongPollServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 02's story in real Chromium: both pages hold a poll on the server, Alice sends while hers is held
 * (a real browser keeps several connections per host), and the held polls are woken at once; a poll that
 * was answered is asked again and the chat goes on.
 */
class LongPollInChromiumTest {
    @RegisterExtension
    final Served<LongPollServer> app = Served.by(() -> LongPollServer.start(0, Duration.ofSeconds(1)),
            LongPollServer::port);

    @Test
    void aliceAndBobChatThroughHeldPolls() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice"));
            bob.open(app.url("/?name=Bob"));
            bob.waitUntil("both pages hold a poll", () -> app.server().waitingCount() == 2,
                    () -> app.server().waitingCount() + " held");

            alice.send("Hello Bob");
            bob.waitForMessages("Alice: Hello Bob");
            // Each answered poll is asked again at once: both pages hold one again.
            bob.waitUntil("both pages hold a poll again", () -> app.server().waitingCount() == 2,
                    () -> app.server().waitingCount() + " held");
            bob.send("Hi Alice");
            alice.waitForMessages("Alice: Hello Bob", "Bob: Hi Alice");
        }
    }
}

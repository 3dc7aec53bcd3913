package kata.longpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import kata.chat.NewMessage;
import kata.harness.Eventually;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The races of §2 (and a pipelined request, §5), made to happen on purpose: {@link HeldPolls} on a server of the test's own
 * ({@link HeldPollsAlone}), with the test doing, between two of its moves, what another thread could.
 */
class HeldPollsTest {
    static final Duration LONG_HOLD = Duration.ofSeconds(20);
    static final Duration AT_ONCE = Duration.ofSeconds(3);

    @RegisterExtension
    final Served<HeldPollsAlone> app = Served.by(() -> new HeldPollsAlone(LONG_HOLD), HeldPollsAlone::port)
            .stoppingTaughtIn("§1 Holding a request");

    @Test
    @Lesson("§2 Waking the held polls")
    void aMessagePublishedWhileAPollRegistersWakesIt() {
        HeldPollsAlone server = app.server();
        // Bob's poll has looked at the log (nothing newer than 0) and is about to be held; at this moment, on
        // another thread, Alice's POST stores her message and wakes the polls it finds held: not Bob's, not yet.
        server.rightAfterTheNextPollLooks(() -> server.held.publish(new NewMessage("Alice", "just now")));

        try (HeldRequest bob = HeldRequest.send(server.port(), "/messages?since=0")) {
            HeldRequest.Answer answer = bob.read(AT_ONCE);
            assertEquals(200, answer.status(), "Bob's poll should be answered — but " + answer.describe());
            assertEquals("[{\"id\":1,\"author\":\"Alice\",\"text\":\"just now\"}]", answer.body(), "Alice's message was "
                    + "published after Bob's poll looked at the log and before it was held: its publisher did not see the "
                    + "poll, and the poll did not see the message. Register first, then look again");
        }
    }

    @Test
    @Lesson("§5 A client that goes away")
    void aRequestSentBehindAHeldPollOnTheSameConnectionIsAnsweredAfterIt() {
        HeldPollsAlone server = app.server();
        server.log.append(new NewMessage("Alice", "one"));
        try (HeldRequest bob = HeldRequest.sendKeepingAlive(server.port(), "/messages?since=1")) {
            awaitHeld(bob);

            bob.sendNext("/messages?since=0"); // pipelined: the next request, before the first is answered
            for (int i = 0; i < 2; i++) { // the server's one I/O thread has read the connection by the end of these
                try (HeldRequest other = HeldRequest.send(server.port(), "/messages?since=0")) {
                    assertEquals(200, other.read(AT_ONCE).status(), "A poll with news should be answered at once");
                }
            }
            assertEquals(1, server.held.count(), "Bytes from Bob's client that are not the end of the stream are no "
                    + "hang-up: his poll should still be held");
            server.held.publish(new NewMessage("Alice", "two"));

            String both = bob.readUntilClosed(AT_ONCE);
            assertEquals(2, both.split("HTTP/1\\.1 200", -1).length - 1, "Bob's held poll and the request he sent behind "
                    + "it on the same connection should both be answered, in order. Bytes your hang-up watch reads that are "
                    + "not the end of the stream are the next request: give them back (connection.ungetRequestBytes) and "
                    + "stop watching. Received:\n" + both);
            assertTrue(both.indexOf("\"two\"") < both.lastIndexOf("\"one\""), "The held poll (since=1) is answered first "
                    + "with message 2, then the next request (since=0) with 1 and 2. Received:\n" + both);
        }
    }

    private void awaitHeld(HeldRequest poll) {
        HeldPollsAlone server = app.server();
        Eventually.await(poll.target() + " should be held (count() = 1)", () -> {
            if (server.held.count() == 1) {
                return Optional.of(true);
            }
            if (poll.answered()) {
                throw new AssertionError(poll.target() + " should be held: nothing is newer than its cursor — but it "
                        + "was answered at once: " + statusAndBody(poll.receivedSoFar()));
            }
            return Optional.empty();
        }, () -> "count() is " + server.held.count());
    }

    private static String statusAndBody(String answer) {
        int split = answer.indexOf("\r\n\r\n");
        return split < 0 ? answer : answer.substring(0, answer.indexOf("\r\n")) + " — " + answer.substring(split + 4).strip();
    }

    @Test
    @Lesson("§2 Waking the held polls")
    void aWokenPollIsAnsweredWithEverythingNewerThanItsCursorNotJustTheMessageThatWokeIt() {
        HeldPollsAlone server = app.server();
        try (HeldRequest bob = HeldRequest.send(server.port(), "/messages?since=0")) {
            awaitHeld(bob);

            // Two POSTs at the same moment: Alice's is stored (id 1) but has not woken anyone yet when Carol's is
            // stored (id 2) and wakes Bob's poll first.
            server.log.append(new NewMessage("Alice", "one"));
            server.held.publish(new NewMessage("Carol", "two"));

            HeldRequest.Answer answer = bob.read(AT_ONCE);
            assertEquals("[{\"id\":1,\"author\":\"Alice\",\"text\":\"one\"},{\"id\":2,\"author\":\"Carol\",\"text\":\"two\"}]",
                    answer.body(), "Bob's poll (since=0) should be answered with everything newer than its cursor at the "
                    + "time of the answer (log.after(since)), not with the one message that woke it: his page moves its "
                    + "cursor to the newest id it gets, so a message left out is never shown. " + answer.describe());
        }
    }
}

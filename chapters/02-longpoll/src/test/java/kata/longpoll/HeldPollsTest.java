package kata.longpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import kata.chat.NewMessage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The races of §2, made to happen on purpose: {@link HeldPolls} on a server of the test's own
 * ({@link HeldPollsAlone}), with the test doing, between two of its moves, what another thread could.
 */
class HeldPollsTest {
    static final Duration LONG_HOLD = Duration.ofSeconds(20);
    static final Duration AT_ONCE = Duration.ofSeconds(3);
    static final Duration DEADLINE = Duration.ofSeconds(5);

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
    @Lesson("§2 Waking the held polls")
    void aWokenPollIsAnsweredWithEverythingNewerThanItsCursorNotJustTheMessageThatWokeIt() {
        HeldPollsAlone server = app.server();
        try (HeldRequest bob = HeldRequest.send(server.port(), "/messages?since=0")) {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (server.held.count() != 1) {
                if (bob.answered()) {
                    throw new AssertionError("Bob's poll (since=0) should be held: nothing is newer than 0 — but "
                            + bob.read(AT_ONCE).describe());
                }
                if (System.nanoTime() - end > 0) {
                    throw new AssertionError("Bob's poll (since=0) should be held (count() = 1) — still not so after "
                            + DEADLINE.toSeconds() + " s: count() is " + server.held.count());
                }
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }

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

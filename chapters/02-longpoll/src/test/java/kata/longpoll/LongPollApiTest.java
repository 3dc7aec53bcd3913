package kata.longpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kata.harness.Eventually;
import kata.harness.HeldThreads;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server on the wire: holding a poll, waking it, timing it out, forgetting a client that hung up,
 * many held polls at once, and clear errors for a bad cursor.
 */
class LongPollApiTest {
    /** Longer than any wait below: a poll that ends in these tests was ended by the server's code, not its timer. */
    static final Duration LONG_HOLD = Duration.ofSeconds(20);
    static final Duration SHORT_HOLD = Duration.ofMillis(500);
    /** How long a request that should be answered at once may take on a busy machine. */
    static final Duration AT_ONCE = Duration.ofSeconds(3);
    static final Duration DEADLINE = Duration.ofSeconds(5);

    @RegisterExtension
    final Served<LongPollServer> app = Served.by(
            () -> LongPollServer.options().hold(LONG_HOLD).workerThreads(4).ioThreads(2).start(),
            LongPollServer::port)
            .stoppingTaughtIn("§1 Holding a request");

    private Response post(String author, String text) {
        Response response = Http.postJson(app.url("/messages"), "{\"author\":\"" + author + "\",\"text\":\"" + text + "\"}");
        assertEquals(200, response.status(), "POST /messages should store the message — but " + response.describe());
        return response;
    }

    private HeldRequest poll(long since) {
        return HeldRequest.send(app.port(), "/messages?since=" + since);
    }

    /** Waits until the server holds {@code n} polls; fails at once if one of them was answered instead. */
    private void awaitHeld(int n, List<HeldRequest> polls) {
        await("The server should hold " + n + " poll" + (n == 1 ? "" : "s") + " (waitingCount() = " + n + ")",
                () -> app.server().waitingCount() == n,
                () -> {
                    for (HeldRequest poll : polls) {
                        if (poll.answered()) {
                            return poll.read(AT_ONCE).describe()
                                    + " at once, though nothing newer than its cursor exists: hold it instead";
                        }
                    }
                    return null;
                },
                () -> "waitingCount() is " + app.server().waitingCount());
    }

    /** Waits until {@code done}; fails at once when {@code cannotHappen} says why it never will. */
    private static void await(String expectation, BooleanSupplier done, Supplier<String> cannotHappen, Supplier<String> observed) {
        Eventually.await(expectation, () -> {
            if (done.getAsBoolean()) {
                return Optional.of(true);
            }
            String reason = cannotHappen.get();
            if (reason != null) {
                throw new AssertionError(expectation + " — but " + reason);
            }
            return Optional.empty();
        }, observed);
    }

    private static boolean refusesConnections(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    private static void assertStatus(int expected, HeldRequest.Answer answer, String why) {
        assertEquals(expected, answer.status(), why + " — but " + answer.describe());
    }

    @Test
    @Lesson("§2 Waking the held polls")
    void aWokenHoldOnTheWire() {
        try (HeldRequest bob = poll(0)) {
            awaitHeld(1, List.of(bob));

            post("Alice", "Hi Bob");

            HeldRequest.Answer woken = bob.read(AT_ONCE);
            assertStatus(200, woken, "A held poll should be answered as soon as a message arrives, with that message");
            Snapshot.verify(woken.transcript("Content-Type", "Cache-Control"));
            await("A poll that was answered is no longer held (waitingCount() back to 0): whoever ends a poll takes it "
                            + "out of the held ones, so that nothing answers it a second time",
                    () -> app.server().waitingCount() == 0, () -> null,
                    () -> "waitingCount() is still " + app.server().waitingCount());
        }
    }

    @Test
    @Lesson("§4 The hold timeout")
    void aTimedOutHoldOnTheWire() {
        try (LongPollServer shortHold = LongPollServer.start(0, SHORT_HOLD);
             HeldRequest bob = HeldRequest.send(shortHold.port(), "/messages?since=0")) {
            await("The server should hold the poll",
                    () -> shortHold.waitingCount() == 1,
                    () -> bob.answered() ? bob.read(AT_ONCE).describe() + " at once: hold it until a message or the timeout" : null,
                    () -> "waitingCount() is " + shortHold.waitingCount());

            HeldRequest.Answer timedOut = bob.read(DEADLINE);

            assertStatus(200, timedOut, "A hold that times out is no error: answer 200 with the empty list");
            assertEquals(0, shortHold.waitingCount(), "A poll that was answered is no longer waiting");
            Snapshot.verify(timedOut.transcript("Content-Type", "Cache-Control"));
        }
    }

    @Test
    @Lesson("§3 The since cursor loses nothing")
    void aMessageSentBetweenTwoPollsIsNotLost() {
        try (HeldRequest first = poll(0)) {
            awaitHeld(1, List.of(first));
            post("Alice", "one");
            assertEquals("[{\"id\":1,\"author\":\"Alice\",\"text\":\"one\"}]", first.read(AT_ONCE).body(),
                    "The held poll should be answered with the one new message");
        }
        // Bob's page has its answer and has not asked again yet: these two arrive while no poll is held.
        post("Alice", "two");
        post("Alice", "three");

        try (HeldRequest next = poll(1)) {
            HeldRequest.Answer answer = next.read(AT_ONCE);
            assertStatus(200, answer, "A poll whose cursor is behind should be answered at once");
            assertEquals("[{\"id\":2,\"author\":\"Alice\",\"text\":\"two\"},{\"id\":3,\"author\":\"Alice\",\"text\":\"three\"}]",
                    answer.body(), "since=1 should bring the messages 2 and 3 that were sent between the two polls");
        }
    }

    @Test
    @Lesson("§5 A client that goes away")
    void aPollWhoseClientHungUpIsForgotten() {
        HeldRequest bob = poll(0);
        awaitHeld(1, List.of(bob));

        bob.close(); // the tab is closed, the laptop lid shut

        await("The server should forget a held poll whose connection closed (waitingCount() back to 0), long before its "
                        + LONG_HOLD.toSeconds() + " s hold ends",
                () -> app.server().waitingCount() == 0, () -> null,
                () -> "waitingCount() is still " + app.server().waitingCount()
                        + ": Undertow does not read a connection while its request is handled, so nothing tells you it closed unless you watch for it");
        post("Alice", "anyone there?"); // publishing to nobody must not fail
    }

    @Test
    @Lesson("§1 Holding a request")
    void twoHundredHeldPollsDoNotStarveAServerWithFourWorkerThreads() {
        post("Alice", "one");
        List<HeldRequest> held = new ArrayList<>();
        try {
            held.add(poll(1));
            awaitHeld(1, held); // one first: a server that cannot hold one need not be flooded with 200
            for (int i = 1; i < 200; i++) {
                held.add(poll(1));
            }
            awaitHeld(200, held);
            List<String> waitingThreads = new ArrayList<>(threadsWaitingInTheServersCode());

            try (HeldRequest other = poll(0)) {
                HeldRequest.Answer answer = other.read(AT_ONCE);
                assertStatus(200, answer, "With 200 polls held, a poll that has news should still be answered at once "
                        + "(a held poll must not occupy one of the server's 4 worker threads)");
                assertEquals("[{\"id\":1,\"author\":\"Alice\",\"text\":\"one\"}]", answer.body(), "since=0 should list message 1");
            }
            Response page = Http.get(app.url("/"));
            assertEquals(200, page.status(), "With 200 polls held, the page should still be served — but " + page.describe());
            threadsWaitingInTheServersCode().stream().filter(t -> !waitingThreads.contains(t)).forEach(waitingThreads::add);
            assertTrue(waitingThreads.isEmpty(), "With 200 polls held, no thread should wait inside the server's code: a held "
                    + "poll costs memory, not a thread. Seen: " + String.join("; ", waitingThreads)
                    + ". Keep the exchange (exchange.dispatch(SameThreadExecutor.INSTANCE, …)) and return; let publish, "
                    + "the timeout and the hang-up answer it later");

            post("Alice", "two");

            for (HeldRequest poll : held) {
                HeldRequest.Answer answer = poll.read(AT_ONCE);
                assertStatus(200, answer, "One message should wake every held poll");
                assertEquals("[{\"id\":2,\"author\":\"Alice\",\"text\":\"two\"}]", answer.body(),
                        "Each held poll should be answered with the new message, once");
            }
            assertEquals(0, app.server().waitingCount(), "Every held poll was answered: none is waiting any more");
        } finally {
            held.forEach(HeldRequest::close);
        }
    }

    /**
     * The server's threads that sit in its code, waiting or sleeping (a monitor's lock taken for a moment is no
     * held thread, and the tests' own bodies do not count; HeldThreads already leaves out the threads that stop
     * other tests' servers).
     */
    private static List<String> threadsWaitingInTheServersCode() {
        return HeldThreads.inside(LongPollServer.class).stream()
                .filter(thread -> !thread.contains(" is blocked in "))
                .filter(thread -> !thread.matches("(?s).* in ([^ ]*/)?kata\\.longpoll\\.(\\w+Test\\b|HeldRequest\\b).*"))
                .toList();
    }

    @Test
    @Lesson("§1 Holding a request")
    void aPollBeyondMaxHeldIsRefusedWith503AndRetryAfter() {
        try (LongPollServer small = LongPollServer.options().hold(LONG_HOLD).maxHeld(2).start();
             HeldRequest first = HeldRequest.send(small.port(), "/messages?since=0");
             HeldRequest second = HeldRequest.send(small.port(), "/messages?since=0")) {
            await("A server with maxHeld(2) should hold 2 polls",
                    () -> small.waitingCount() == 2,
                    () -> first.answered() ? first.read(AT_ONCE).describe() + " at once: hold it"
                            : second.answered() ? second.read(AT_ONCE).describe() + " at once: hold it" : null,
                    () -> "waitingCount() is " + small.waitingCount());

            try (HeldRequest third = HeldRequest.send(small.port(), "/messages?since=0")) {
                HeldRequest.Answer refused = third.read(AT_ONCE);
                assertStatus(503, refused, "A server that holds maxHeld (2) polls already should refuse one more at once "
                        + "with 503 Service Unavailable, instead of holding more than it can afford");
                assertTrue(refused.header("Retry-After").matches("\\d+"), "A 503 should say when to come back: "
                        + "Retry-After: <seconds> — but Retry-After was " + refused.header("Retry-After"));
            }
            assertEquals(2, small.waitingCount(), "A refused poll is not held: waitingCount() should stay 2");

            Http.Response sent = Http.postJson("http://127.0.0.1:" + small.port() + "/messages", "{\"author\":\"Alice\",\"text\":\"hi\"}");
            assertEquals(200, sent.status(), sent.describe());
            assertStatus(200, first.read(AT_ONCE), "The held polls are answered as usual");
            assertStatus(200, second.read(AT_ONCE), "The held polls are answered as usual");
        }
    }

    @Test
    @Lesson("§5 A client that goes away")
    void theServerClosesTheConnectionOfAClientThatHungUp() {
        HeldRequest bob = poll(0);
        try {
            awaitHeld(1, List.of(bob));

            bob.hangUp(); // the client's end is closed (it sends FIN), as a closed tab's is; it still listens

            assertTrue(bob.closedByServerWithin(AT_ONCE), "The server should close the connection of a client that hung "
                    + "up, at once: forgetting its poll is not enough — a connection nobody closes stays open on the server "
                    + "(CLOSE_WAIT), one socket leaked per client that went away");
            assertEquals(0, app.server().waitingCount(), "The poll of a client that hung up is forgotten");
        } finally {
            bob.close();
        }
    }

    @Test
    @Lesson("§5 A client that goes away")
    void closingTheServerEndsItsHeldPollsAndFreesItsPort() {
        LongPollServer closing = LongPollServer.start(0);
        int port = closing.port();
        try (HeldRequest bob = HeldRequest.send(port, "/messages?since=0")) {
            await("The server should hold Bob's poll", () -> closing.waitingCount() == 1,
                    () -> bob.answered() ? bob.read(AT_ONCE).describe() + " at once: hold it" : null,
                    () -> "waitingCount() is " + closing.waitingCount());

            closing.close();

            assertTrue(bob.closedByServerWithin(AT_ONCE), "close() should stop the server and end the connections of "
                    + "the polls it holds: a server that is closed but still holds them leaks a socket per client");
            assertTrue(refusesConnections(port), "After close() nothing should listen on port " + port + " any more");
        } finally {
            closing.close();
        }
    }

    @Test
    @Lesson("§6 Bad input")
    void aRefusedMessageIsNotStoredAndWakesNoHeldPoll() {
        try (LongPollServer demo = LongPollServer.start(0); // the demo's server: the default hold, 25 s
             HeldRequest bob = HeldRequest.send(demo.port(), "/messages?since=0")) {
            await("The server should hold Bob's poll", () -> demo.waitingCount() == 1,
                    () -> bob.answered() ? bob.read(AT_ONCE).describe() + " at once: hold it" : null,
                    () -> "waitingCount() is " + demo.waitingCount());
            String messages = "http://127.0.0.1:" + demo.port() + "/messages";

            Response noText = Http.postJson(messages, "{\"author\":\"Alice\"}");
            Response tooLong = Http.postJson(messages, "{\"author\":\"Alice\",\"text\":\"" + "x".repeat(501) + "\"}");

            assertEquals(400, noText.status(), "A message without text is refused, as in chapter 01 — but " + noText.describe());
            assertEquals(413, tooLong.status(), "A text over 500 characters is refused with 413 — but " + tooLong.describe());
            assertEquals(1, demo.waitingCount(), "A refused message is not stored and wakes nobody: Bob's poll should still be held");
            Response sent = Http.postJson(messages, "{\"author\":\"Alice\",\"text\":\"hi\"}");
            assertEquals(200, sent.status(), sent.describe());
            assertEquals("{\"id\":1,\"author\":\"Alice\",\"text\":\"hi\"}", sent.body(),
                    "POST /messages answers with the message as stored, with its id, as in chapter 01");
            assertEquals("[{\"id\":1,\"author\":\"Alice\",\"text\":\"hi\"}]", bob.read(AT_ONCE).body(),
                    "The first message stored gets id 1: the refused ones took none");
        }
    }

    @Test
    @Lesson("§6 Bad input")
    void aCursorThatIsNotAWholeNumberIsRefusedWith400() {
        for (String since : List.of("abc", "-1", "1e3", "", "99999999999999999999")) {
            try (HeldRequest poll = HeldRequest.send(app.port(), "/messages?since=" + since)) {
                assertStatus(400, poll.read(AT_ONCE), "since=" + since + " is not a whole number from 0 up: 400 Bad Request, at once");
            }
        }
    }

    @Test
    @Lesson("§6 Bad input")
    void aCursorFromTheFutureIsRefusedWith400() {
        post("Alice", "one");
        post("Alice", "two");

        for (long since : List.of(3L, 999_999_999_999_999L)) {
            try (HeldRequest poll = poll(since)) {
                HeldRequest.Answer answer = poll.read(AT_ONCE);
                assertStatus(400, answer, "since=" + since + " is newer than the newest message (2): no message will ever "
                        + "be newer, so holding it would wait forever — refuse it with 400 at once");
                assertTrue(answer.body().contains("since"), "The 400 should say what is wrong with \"since\": " + answer.describe());
            }
        }
        try (HeldRequest upToDate = poll(2)) {
            awaitHeld(1, List.of(upToDate)); // since = the newest id is the normal case: hold it
        }
    }
}

package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;
import kata.harness.Lesson;
import org.junit.jupiter.api.Test;

/** The log on its own: bounded however long the server runs, and safe when many requests store at once. */
class MessageLogTest {
    @Test
    @Lesson("§3 The since cursor")
    void theLogKeepsOnlyTheNewestMessagesAndForgetsTheOldest() {
        MessageLog log = new MessageLog(3);
        for (int i = 1; i <= 5; i++) {
            int n = i;
            ChatMessage stored = call("append", () -> log.append(new NewMessage("Alice", "message " + n)));
            assertEquals(n, stored.id(), "The log should give message " + n + " the id " + n + ": " + stored);
        }

        assertEquals(List.of(3L, 4L, 5L), ids(call("after", () -> log.after(0))), "A log of capacity 3 that stored 5 "
                + "messages keeps the newest 3 (ids 3, 4, 5), oldest first, and forgets 1 and 2 — or memory grows for as "
                + "long as the server runs");
        assertEquals(List.of(5L), ids(call("after", () -> log.after(4))), "after(4) is what is newer than 4: only 5");
        assertEquals(List.of(), ids(call("after", () -> log.after(5))), "after(5): nothing is newer than the newest");

        for (int i = 6; i <= 8; i++) {
            int n = i;
            call("append", () -> log.append(new NewMessage("Bob", "message " + n)));
        }
        assertEquals(List.of(7L, 8L), ids(call("after", () -> log.after(6))), "After going round the ring more than "
                + "once, after(6) should be ids 7 and 8");
        assertEquals(List.of(6L, 7L, 8L), ids(call("after", () -> log.after(2))), "A cursor older than the oldest kept "
                + "message gets what is left: 6, 7, 8");
    }

    @Test
    @Lesson("§3 The since cursor")
    void manyRequestsStoringAtOnceEachGetAnIdOfTheirOwn() throws InterruptedException {
        int threads = 4;
        int each = 50_000; // many, so that the threads truly run side by side on every machine, even a busy one
        MessageLog log = new MessageLog(threads * each);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> posting = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        ids.add(log.append(new NewMessage("Alice", "hi")).id());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            posting.add(thread);
        }
        start.countDown();
        for (Thread thread : posting) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            throw new AssertionError("MessageLog.append failed while " + threads + " threads stored at once: " + first, first);
        }

        Set<Long> distinct = new TreeSet<>(ids);
        assertEquals(threads * each, distinct.size(), threads + " threads stored " + each + " messages each: every "
                + "message should get an id of its own, but only " + distinct.size() + " different ids were given out. "
                + "Requests are handled on several threads at once: guard the log (synchronized)");
        assertEquals(threads * each, call("after", () -> log.after(0)).size(), "Every stored message should be listed");
    }

    private static List<Long> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    /** Runs a call into the log; a method still to be written fails as a test failure, with its pointer. */
    private static <T> T call(String method, Supplier<T> call) {
        try {
            return call.get();
        } catch (UnsupportedOperationException e) {
            throw new AssertionError("MessageLog." + method + " is not written yet. " + e.getMessage(), e);
        }
    }
}

package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
        // Two threads store side by side, in bursts that both begin at the same instant (each waits, spinning, for
        // the other) and last long enough (milliseconds, a scheduler's slice) to overlap even on a busy machine,
        // where a burst of microseconds often ran alone: a race in append() has every chance to show.
        int threads = 2;
        int bursts = 100;
        int each = 25_000;
        MessageLog log = new MessageLog(1_000);
        AtomicInteger arrived = new AtomicInteger();
        long[][] ids = new long[threads][bursts * each];
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> posting = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = ids[t];
            Thread thread = new Thread(() -> {
                int k = 0;
                try {
                    for (int burst = 1; burst <= bursts; burst++) {
                        arrived.incrementAndGet();
                        while (arrived.get() < threads * burst && failures.isEmpty()) {
                            Thread.onSpinWait();
                        }
                        for (int i = 0; i < each; i++) {
                            mine[k++] = log.append(new NewMessage("Alice", "hi")).id();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    arrived.addAndGet(threads * bursts); // let the other thread go on and end
                }
            }, "posting-" + t);
            thread.start();
            posting.add(thread);
        }
        for (Thread thread : posting) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            if (first instanceof UnsupportedOperationException) {
                throw new AssertionError("MessageLog.append is not written yet. " + first.getMessage(), first);
            }
            throw new AssertionError("MessageLog.append failed while " + threads + " threads stored at once: " + first, first);
        }

        long[] all = Arrays.stream(ids).flatMapToLong(Arrays::stream).sorted().toArray();
        long given = Arrays.stream(all).distinct().count();
        assertEquals(all.length, given, threads + " threads stored " + all.length + " messages side by side: every "
                + "message should get an id of its own, but only " + given + " different ids were given out (two requests "
                + "read the same last id before either wrote it back). Requests are handled on several threads at once: "
                + "guard the log (synchronized)");
        assertEquals(List.of(1L, (long) all.length), List.of(all[0], all[all.length - 1]), "The ids should run from 1 to "
                + all.length);
        List<ChatMessage> kept = call("after", () -> log.after(0));
        assertEquals(1_000, kept.size(), "A log of capacity 1,000 that stored " + all.length + " messages lists the newest 1,000");
        assertEquals(all.length, kept.get(kept.size() - 1).id(), "The newest message listed is the last one stored");
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

package kata.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
        // the other) and last long enough (milliseconds, a scheduler's slice) to overlap. A race in append() shows
        // only while both really store at the same moment, which a busy machine may not let happen for a while:
        // the bursts go on until overlapsWanted of them ran while the other thread was storing too (or the time is up).
        int threads = 2;
        int each = 25_000;
        int overlapsWanted = 40;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        MessageLog log = new MessageLog(1_000);
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger storing = new AtomicInteger(); // threads inside a burst right now
        AtomicInteger overlaps = new AtomicInteger(); // bursts during which the other thread was storing too
        AtomicBoolean enough = new AtomicBoolean();
        AtomicLong stored = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> posting = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int burst = 1; ; burst++) {
                        arrived.incrementAndGet();
                        while (arrived.get() < threads * burst && !enough.get()) {
                            Thread.onSpinWait();
                        }
                        if (enough.get()) {
                            return;
                        }
                        storing.incrementAndGet();
                        boolean sideBySide = false;
                        for (int i = 0; i < each; i++) {
                            log.append(new NewMessage("Alice", "hi"));
                            sideBySide |= (i & 255) == 0 && storing.get() == threads;
                        }
                        storing.decrementAndGet();
                        stored.addAndGet(each);
                        if ((sideBySide && overlaps.incrementAndGet() >= overlapsWanted) || System.nanoTime() > until) {
                            enough.set(true);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    enough.set(true); // let the other thread end
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

        List<ChatMessage> kept = call("after", () -> log.after(0));
        long newest = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).id();
        assertEquals(stored.get(), newest, threads + " threads stored " + stored.get() + " messages side by side: every "
                + "message should get an id of its own, so the newest id should be " + stored.get() + ", but it is " + newest
                + ": " + (stored.get() - newest) + " ids were given out twice (two requests read the same last id before "
                + "either wrote it back). Requests are handled on several threads at once: guard the log (synchronized)");
        assertEquals(1_000, kept.size(), "A log of capacity 1,000 that stored " + stored.get() + " messages lists the newest 1,000");
        for (int i = 1; i < kept.size(); i++) {
            assertEquals(kept.get(i - 1).id() + 1, kept.get(i).id(), "The newest 1,000 are listed oldest first, one id after "
                    + "the other, but " + kept.get(i - 1).id() + " is followed by " + kept.get(i).id());
        }
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

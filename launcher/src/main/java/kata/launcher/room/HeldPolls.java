package kata.launcher.room;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioExecutor;

/**
 * The board's long polls being held (chapter 02's way, for chapter 07's fallback): a poll with nothing newer
 * than its cursor waits, without a thread, until the board publishes or its hold times out. Each held poll
 * ends exactly once, on its own I/O thread: whoever removes it from {@link #waiting} answers it.
 */
final class HeldPolls {
    private final Board board;
    private final Duration hold;
    private final int maxHeld;
    private final Set<Held> waiting = ConcurrentHashMap.newKeySet();

    private static final class Held {
        final HttpServerExchange exchange;
        final String since;
        final long seen;
        XnioExecutor.Key timeout; // the exchange's I/O thread only

        Held(HttpServerExchange exchange, String since, long seen) {
            this.exchange = exchange;
            this.since = since;
            this.seen = seen;
        }
    }

    HeldPolls(Board board, Duration hold, int maxHeld) {
        this.board = board;
        this.hold = hold;
        this.maxHeld = maxHeld;
        board.onPublish(this::wake);
    }

    /** Answers at once when there is news after {@code since} (or {@code wait=0}); otherwise holds the poll. */
    void answerOrHold(HttpServerExchange exchange, String since, boolean wait) {
        long seen = board.lastId();
        var answer = board.pollAnswer(since, !wait);
        if (answer.isPresent()) {
            RoomServer.json(exchange, 200, answer.get());
            return;
        }
        if (waiting.size() >= maxHeld) {
            throw new Refusal(429, "the room holds " + maxHeld + " polls already; try again later", 5);
        }
        Held held = new Held(exchange, since, seen);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            held.timeout = exchange.getIoThread().executeAfter(() -> timeOut(held), hold.toMillis(), MILLISECONDS);
            waiting.add(held);
            // An event may have come after we looked and before we joined the waiters: look again.
            if (board.lastId() > held.seen && waiting.remove(held)) {
                answer(held);
            }
        });
    }

    private void wake() {
        for (Held held : waiting) {
            if (waiting.remove(held)) {
                held.exchange.getIoThread().execute(() -> answer(held));
            }
        }
    }

    private void timeOut(Held held) {
        if (waiting.remove(held)) {
            answer(held);
        }
    }

    private void answer(Held held) {
        if (held.timeout != null) {
            held.timeout.remove();
        }
        if (held.exchange.isResponseStarted() || !held.exchange.getConnection().isOpen()) {
            return;
        }
        RoomServer.json(held.exchange, 200, board.pollAnswer(held.since, true).orElseThrow());
    }

    int count() {
        return waiting.size();
    }
}

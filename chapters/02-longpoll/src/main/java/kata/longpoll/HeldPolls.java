package kata.longpoll;

import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import kata.chat.Answer;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The long polls being held: requests that found nothing newer than their cursor and wait — without a
 * thread each — until a message arrives, their hold times out, or their client goes away.
 *
 * <p>Your code goes here (lesson §1 to §5). Run {@code ./kata hint 02-longpoll} if you are stuck.
 * Several threads call these methods at once: the I/O threads that handle polls, and whichever thread
 * handles a {@code POST}.
 */
final class HeldPolls {
    private final MessageLog log;
    private final Duration hold;
    private final int maxHeld;

    HeldPolls(MessageLog log, Duration hold, int maxHeld) {
        this.log = log;
        this.hold = hold;
        this.maxHeld = maxHeld;
        // TODO keep the held polls somewhere several threads can add to and take from safely
    }

    /**
     * Answers at once when a message newer than {@code since} exists; otherwise holds the exchange and
     * returns at once. Runs on the exchange's I/O thread: never sleep or wait here.
     */
    void answerOrHold(HttpServerExchange exchange, long since) {
        // TODO lesson §1: answer log.after(since) if it is not empty; otherwise exchange.dispatch(...) and keep
        //  the exchange to answer later. Lesson §4: end the hold after `hold` with [] (no thread may sleep).
        //  Lesson §5: notice when the client hangs up. Lesson §2: a message may arrive while you register.
        Answer.notImplemented(exchange, "holding a poll is yours to write: see README.md §1");
    }

    /** Stores the message and wakes every held poll, each exactly once, without waiting for any of them. */
    ChatMessage publish(NewMessage message) {
        ChatMessage stored = log.append(message);
        // TODO lesson §2: wake every held poll now — not on the next tick of some timer
        return stored;
    }

    /** How many polls are being held right now. */
    int count() {
        return 0; // TODO lesson §1
    }
}

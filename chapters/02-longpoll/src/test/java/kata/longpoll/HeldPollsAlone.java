package kata.longpoll;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.time.Duration;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.Requests;

/**
 * {@link HeldPolls} alone on a server of the test's own, so that a test can step in between two of its
 * moves — where, in a real server, another thread could. {@code GET /messages?since=N} goes straight to
 * {@link HeldPolls#answerOrHold}; the test publishes with {@link #held} and stores with {@link #log} directly.
 */
final class HeldPollsAlone implements AutoCloseable {
    final MessageLog log = new MessageLog(LongPollServer.HISTORY);
    final HeldPolls held;
    private final Undertow undertow;
    /** Runs on the poll's I/O thread right after {@code answerOrHold} returns, before the handler does. */
    private volatile Runnable afterAnswerOrHold = () -> { };

    HeldPollsAlone(Duration hold) {
        held = new HeldPolls(log, hold, 20_000);
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1) // one I/O thread for every connection: a round trip on one is a step of all
                .setWorkerThreads(4)
                .setHandler(exchange -> {
                    try {
                        held.answerOrHold(exchange, Requests.cursor(exchange, "since", 0));
                    } catch (BadRequest bad) {
                        Answer.error(exchange, bad);
                        return;
                    }
                    Runnable then = afterAnswerOrHold;
                    afterAnswerOrHold = () -> { };
                    then.run();
                })
                .build();
        undertow.start();
    }

    /** What happens next, once, between the next poll's look at the log and the end of its handler. */
    void rightAfterTheNextPollLooks(Runnable step) {
        afterAnswerOrHold = step;
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

package kata.longpoll;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kata.chat.Answer;
import kata.chat.ChatMessage;
import kata.chat.Json;
import kata.chat.NewMessage;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The long polls being held: requests that found nothing newer than their cursor and wait, without a
 * thread each, until a message arrives, their hold times out, or their client goes away.
 *
 * <p>Every held poll ends exactly once, and on its own I/O thread: whoever removes it from
 * {@link #waiting} (a publisher, its timeout, or its connection's close) is the one that ends it.
 */
final class HeldPolls {
    private final MessageLog log;
    private final Duration hold;
    private final int maxHeld;
    private final Set<Held> waiting = ConcurrentHashMap.newKeySet();
    private final EncodedAnswers answers;

    HeldPolls(MessageLog log, Duration hold, int maxHeld) {
        this.log = log;
        this.hold = hold;
        this.maxHeld = maxHeld;
        this.answers = new EncodedAnswers(log);
    }

    /** One request on hold: the exchange to answer later, its cursor, and the timer that ends the hold. */
    private static final class Held {
        final HttpServerExchange exchange;
        final long since;
        XnioExecutor.Key timeout; // set and used on the exchange's I/O thread only

        Held(HttpServerExchange exchange, long since) {
            this.exchange = exchange;
            this.since = since;
        }
    }

    /**
     * Answers at once when a message newer than {@code since} exists; otherwise holds the exchange. Runs on
     * the exchange's I/O thread and returns at once either way: holding costs memory, not a thread.
     */
    void answerOrHold(HttpServerExchange exchange, long since) {
        if (log.lastId() > since) {
            sendNewer(exchange, since); // something newer already: at once
            return;
        }
        if (waiting.size() >= maxHeld) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            Answer.error(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                    "the server holds " + maxHeld + " polls already; try again later");
            return;
        }
        Held held = new Held(exchange, since);
        // dispatch() tells Undertow "this exchange is not over when the handler returns"; with the
        // SameThreadExecutor the task runs right after the handler, on this same I/O thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> hold(held));
    }

    private void hold(Held held) {
        HttpServerExchange exchange = held.exchange;
        held.timeout = exchange.getIoThread().executeAfter(() -> timeOut(held), hold.toMillis(), MILLISECONDS);
        watchForHangUp(held);
        waiting.add(held);
        // A message may have been published after we looked at the log and before we joined the waiters;
        // its publisher did not see us. Look again, now that any later publisher will.
        if (log.lastId() > held.since && waiting.remove(held)) {
            answer(held);
        }
    }

    /** Stores the message and wakes every held poll at once: each is answered on its own I/O thread. */
    ChatMessage publish(NewMessage message) {
        ChatMessage stored = log.append(message);
        Map<XnioIoThread, List<Held>> woken = new HashMap<>();
        for (Held held : waiting) {
            if (waiting.remove(held)) { // only one of publisher, timeout and close wins each poll
                woken.computeIfAbsent(held.exchange.getIoThread(), thread -> new ArrayList<>()).add(held);
            }
        }
        // One task per I/O thread, not one per poll: each thread answers the polls of its own connections.
        woken.forEach((thread, polls) -> thread.execute(() -> polls.forEach(this::answer)));
        return stored;
    }

    /** How many polls are being held right now. */
    int count() {
        return waiting.size();
    }

    private void timeOut(Held held) {
        if (waiting.remove(held)) {
            answer(held); // nothing new: the answer is [], a normal 200, and the page asks again
        }
    }

    /** Ends a poll this thread has taken out of {@link #waiting}, with whatever is newer than its cursor by now. */
    private void answer(Held held) {
        held.timeout.remove();
        sourceOf(held.exchange).suspendReads(); // stop watching: Undertow takes the connection back once this exchange is complete
        if (held.exchange.isResponseStarted() || !held.exchange.getConnection().isOpen()) {
            return; // the client went away while its answer was on the way
        }
        sendNewer(held.exchange, held.since);
    }

    /** What Answer.json sends for {@code log.after(since)}, with bytes encoded once for all the polls that ask the same. */
    private void sendNewer(HttpServerExchange exchange, long since) {
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(answers.after(since));
    }

    /**
     * The answers to "what is newer than {@code since}", each encoded once per newest message. One message
     * wakes every held poll, and they almost all hold the same cursor; the polls that come back right after
     * ask the same too: they all get the same bytes, not each a JSON encoding of its own.
     */
    private static final class EncodedAnswers {
        private final MessageLog log;
        private final Map<Long, ByteBuffer> bySince = new HashMap<>(); // guarded by this
        private long newest = -1; // the log's newest id when bySince was filled; guarded by this

        EncodedAnswers(MessageLog log) {
            this.log = log;
        }

        synchronized ByteBuffer after(long since) {
            if (log.lastId() != newest) { // a newer message: every answer kept is out of date
                bySince.clear();
                newest = log.lastId();
            }
            ByteBuffer body = bySince.computeIfAbsent(since, cursor -> ByteBuffer.wrap(
                    Json.write(log.after(cursor)).getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
            return body.duplicate(); // the same bytes, with a position of its own for each answer
        }
    }

    /**
     * Notices a client that hangs up while its poll is held. Undertow stops reading a connection while
     * its request is being handled (the next bytes would be the next request), so a closed connection goes
     * unseen until the server writes to it, and no close listener fires before then. So while the poll is
     * held we read the connection ourselves: end of stream means the client went away.
     */
    private void watchForHangUp(Held held) {
        HttpServerConnection connection = (HttpServerConnection) held.exchange.getConnection();
        ConduitStreamSourceChannel source = sourceOf(held.exchange);
        source.setReadListener(channel -> {
            ByteBuffer bytes = ByteBuffer.allocate(1024);
            int read;
            try {
                read = channel.read(bytes);
            } catch (IOException e) {
                read = -1;
            }
            if (read == -1) {
                waiting.remove(held); // if a publisher took it first, it is answering into a closed connection: harmless
                held.timeout.remove();
                IoUtils.safeClose(connection);
            } else if (read > 0) {
                // The client sent its next request already (HTTP pipelining, which browsers do not do):
                // give the bytes back for Undertow to read once this exchange is over, and stop watching.
                channel.suspendReads();
                connection.ungetRequestBytes(new ImmediatePooledByteBuffer(bytes.flip()));
            }
        });
        source.resumeReads();
    }

    /** The side of the poll's connection that the client writes to. This server speaks HTTP/1.1 only (no HTTP/2 enabled). */
    private static ConduitStreamSourceChannel sourceOf(HttpServerExchange exchange) {
        return ((HttpServerConnection) exchange.getConnection()).getChannel().getSourceChannel();
    }
}

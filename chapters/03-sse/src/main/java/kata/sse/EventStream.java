package kata.sse;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * One subscriber's open response, written without blocking and without a thread of its own.
 *
 * <p>Any thread may {@link #send} (the relay does, for every event); the bytes wait in a queue and the
 * connection's I/O thread writes them as fast as the socket takes them. When the socket is full,
 * {@code write} takes less than it was given: the rest waits, and the channel calls back when it can take
 * more ({@code resumeWrites}). Nobody ever waits for a slow reader — but a reader that stays slow makes
 * its queue grow, so the queue must be bounded: past {@code bound} bytes of events not yet written, the
 * subscriber is cut off. Its browser reconnects and catches up from the history, or gets a reset.
 *
 * <p>Given: read it once (lesson §2 "One stream per page"). Two parts are yours: the heartbeat (§6) and
 * the bound (§7), each marked TODO.
 */
final class EventStream {
    /** A piece of the stream; {@code counted} ones count toward the bound (live events, not the replay). */
    private record Chunk(ByteBuffer bytes, boolean counted, int size) {
    }

    /** Who learns that a stream has ended, once, whatever ended it. */
    interface Ending {
        void ended(EventStream stream);
    }

    private final HttpServerExchange exchange;
    private final StreamSinkChannel sink;
    private final XnioIoThread io;
    private final String name;
    private final long bound;
    private final Ending ending;

    private final ArrayDeque<Chunk> pending = new ArrayDeque<>(); // guarded by this
    private long pendingBytes; // of counted chunks; guarded by this
    private boolean flushScheduled; // guarded by this
    private boolean closed; // guarded by this
    private XnioExecutor.Key heartbeat = XnioExecutor.Key.IMMEDIATE; // none yet: a key that cancels nothing

    EventStream(HttpServerExchange exchange, String name, long bound, Ending ending) {
        this.exchange = exchange;
        this.sink = exchange.getResponseChannel();
        this.io = exchange.getIoThread();
        this.name = name;
        this.bound = bound;
        this.ending = ending;
        // Called only while writes are resumed, when the full socket has drained: undo that, then write on.
        sink.getWriteSetter().set(channel -> {
            channel.suspendWrites();
            flush();
        });
    }

    /** The person behind this stream, or null for a stream that only watches. */
    String name() {
        return name;
    }

    /**
     * On this stream's I/O thread (the server starts it there, right after subscribing it): sends a comment
     * every {@code interval} while nothing else is waiting to be written.
     */
    void startHeartbeat(Duration interval) {
        // TODO lesson §6: every `interval`, ping() — on this connection's I/O thread (io.executeAtInterval);
        //  keep the key in `heartbeat` so that close() can cancel it.
    }

    /** Queues bytes that do not count toward the bound: the retry, the replay (the history bounds it). */
    void sendUncounted(ByteBuffer bytes) {
        enqueue(bytes, false);
    }

    /** Queues a live event. Never blocks. A subscriber too far behind is cut off. */
    void send(ByteBuffer bytes) {
        enqueue(bytes, true);
    }

    private void enqueue(ByteBuffer bytes, boolean counted) {
        int size = bytes.remaining();
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            // TODO lesson §7: a live event that would take pendingBytes past `bound` means this subscriber is
            //  too slow: cut it off (close(), but later, on the I/O thread — the caller may be looping over
            //  every subscriber) and return.
            pending.add(new Chunk(bytes.duplicate(), counted, size));
            if (counted) {
                pendingBytes += size;
            }
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            io.execute(this::flush);
        }
    }

    private void ping() {
        synchronized (this) {
            if (!pending.isEmpty() || flushScheduled) {
                return; // not idle: the events themselves keep the connection busy
            }
        }
        enqueue(EventFormat.bytes(EventFormat.PING), false);
    }

    /** On the I/O thread: writes what is queued, as far as the socket takes it, then flushes. */
    private void flush() {
        try {
            while (true) {
                Chunk head;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    head = pending.peek();
                }
                if (head != null) {
                    sink.write(head.bytes());
                    if (head.bytes().hasRemaining()) {
                        sink.resumeWrites(); // the socket is full: flush() runs again when it drains
                        return;
                    }
                    synchronized (this) {
                        pending.poll();
                        if (head.counted()) {
                            pendingBytes -= head.size();
                        }
                    }
                    continue;
                }
                // Undertow buffers what it was given: push it to the socket now, an event must not wait.
                if (!sink.flush()) {
                    sink.resumeWrites();
                    return;
                }
                synchronized (this) {
                    if (pending.isEmpty()) {
                        flushScheduled = false;
                        return;
                    }
                }
            }
        } catch (IOException gone) {
            close(); // the client went away: this is how a server learns it, on its next write
        }
    }

    /**
     * Ends the stream by closing its connection, as a network failure would: the browser reconnects
     * by itself. Idempotent, any thread.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true; // nothing reads the queue from now on; it goes with the stream
        }
        ending.ended(this);
        io.execute(() -> {
            heartbeat.remove();
            IoUtils.safeClose(exchange.getConnection());
        });
    }
}

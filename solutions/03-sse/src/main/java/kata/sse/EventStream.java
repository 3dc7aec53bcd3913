package kata.sse;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * One subscriber's open response, written without blocking and without a thread of its own.
 *
 * <p>Any thread may {@link #send}; the bytes wait in a queue and the connection's I/O thread writes them as
 * fast as the socket takes them (the relay sends from that very thread, so a live event is written at once,
 * unless something is queued before it). When the socket is full,
 * {@code write} takes less than it was given: the rest waits, and the channel calls back when it can take
 * more ({@code resumeWrites}). Nobody ever waits for a slow reader — but a reader that stays slow makes
 * its queue grow, so the queue is bounded: past {@code bound} bytes of events not yet written, the
 * subscriber is cut off. Its browser reconnects and catches up from the history, or gets a reset.
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
    private boolean waitingForSocket; // writes resumed: the socket was full; I/O thread only
    private boolean closed; // guarded by this
    private XnioExecutor.Key heartbeat; // I/O thread only

    EventStream(HttpServerExchange exchange, String name, long bound, Ending ending) {
        this.exchange = exchange;
        this.sink = exchange.getResponseChannel();
        this.io = exchange.getIoThread();
        this.name = name;
        this.bound = bound;
        this.ending = ending;
        sink.getWriteSetter().set(channel -> flush());
        exchange.getConnection().addCloseListener(connection -> close());
    }

    /** The thread that writes to this stream's connection. */
    XnioIoThread ioThread() {
        return io;
    }

    /** The person behind this stream, or null for a stream that only watches. */
    String name() {
        return name;
    }

    /** Sends a comment every {@code interval} while nothing else is waiting to be written. */
    void startHeartbeat(Duration interval) {
        io.execute(() -> {
            if (!isClosed()) {
                heartbeat = io.executeAtInterval(this::ping, interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Queues bytes that do not count toward the bound: the retry, the replay (the history bounds it). */
    void sendUncounted(ByteBuffer bytes) {
        enqueue(bytes, false);
    }

    /**
     * Queues a live event, and on this stream's own I/O thread writes it at once. Never blocks; returns
     * false when this subscriber is too far behind, and is now being cut off.
     */
    boolean send(ByteBuffer bytes) {
        return enqueue(bytes, true);
    }

    private boolean enqueue(ByteBuffer bytes, boolean counted) {
        int size = bytes.remaining();
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (counted && pendingBytes + size > bound) {
                io.execute(this::close); // not here: the caller may be iterating over all subscribers
                return false;
            }
            pending.add(new Chunk(bytes.duplicate(), counted, size));
            if (counted) {
                pendingBytes += size;
            }
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule && counted && io == Thread.currentThread()) {
            flush(); // the relay's task for this I/O thread: write now, a task of its own would only wait behind it
        } else if (schedule) {
            io.execute(this::flush);
        }
        return true;
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
                        waitForSocket(); // the socket is full: flush() runs again when it drains
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
                    waitForSocket();
                    return;
                }
                synchronized (this) {
                    if (pending.isEmpty()) {
                        flushScheduled = false;
                        break;
                    }
                }
            }
            if (waitingForSocket) { // only then: suspending writes costs a call down to the selector, per stream per event
                waitingForSocket = false;
                sink.suspendWrites();
            }
        } catch (IOException gone) {
            close(); // the client went away: this is how a server learns it, on its next write
        }
    }

    private void waitForSocket() {
        waitingForSocket = true;
        sink.resumeWrites();
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
            closed = true;
            pending.clear();
            pendingBytes = 0;
        }
        ending.ended(this);
        io.execute(() -> {
            if (heartbeat != null) {
                heartbeat.remove();
            }
            IoUtils.safeClose(exchange.getConnection());
        });
    }

    synchronized boolean isClosed() {
        return closed;
    }
}

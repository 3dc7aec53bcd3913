package kata.websocket;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.xnio.IoUtils;

/**
 * One open socket: who is on it, and the frames waiting to go out to it.
 *
 * <p>Frames go out in batches: whatever waits is handed to Undertow at once and written with one flush (one
 * gathering write), and the frames that come while a batch is being written wait here for the next one. What a
 * peer may cost is counted in bytes: at most {@code boundBytes} of live frames may be unwritten, waiting here or
 * in the batch being written. A peer that keeps reading takes frames as fast as they come, so even a burst of
 * thousands of small frames stays far below the bound; one that reads slowly (a phone in a tunnel, a stuck tab)
 * stops taking them, its batch is not written, the frames behind it pile up, and one frame past the bound it is
 * closed with 1008. Its page reconnects and catches up from the history. Nothing here blocks the thread that
 * relays a message.
 */
final class Peer {
    private static final byte[] PING = "are you there?".getBytes(StandardCharsets.US_ASCII);
    /** A close frame is a control frame: at most 125 bytes of payload, 2 of them the code (RFC 6455 §5.5). */
    private static final int MAX_REASON_BYTES = 123;

    private final WebSocketChannel channel;
    private final String name;
    private final long boundBytes;
    private final Duration grace;
    private final LongSupplier clock;
    private final Consumer<Peer> closing;
    private final Object lock = new Object();
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /**
     * What the live frames not yet written weigh, those in {@link #waiting} and those Undertow holds: what this
     * peer costs, held against the bound.
     */
    private long unwrittenBytes;
    private final CompletableFuture<Void> closeSent = new CompletableFuture<>();
    private final WebSocketCallback<Long> batchWritten = new BatchWritten();
    private final WebSocketCallback<Void> closeWritten = new CloseWritten();
    /** A batch is with Undertow, its last frame not yet written: the frames that come meanwhile wait here. */
    private boolean writing;
    private boolean closed;

    private volatile long lastHeard;
    /** When the ping that is out was sent; meaningful only while {@link #pingOut} is true. */
    private volatile long pingSent;
    private volatile boolean pingOut;

    /**
     * @param boundBytes how many bytes of live frames may wait for this peer; a frame more and it is too slow
     * @param grace      how long a peer has to answer our close frame before its connection is cut
     * @param clock      the time in nanoseconds, for the keep-alive ({@link Settings#clock()})
     * @param closing    told once, when the closing handshake begins (either side): the relay forgets the peer
     */
    Peer(WebSocketChannel channel, String name, int boundBytes, Duration grace, LongSupplier clock,
         Consumer<Peer> closing) {
        this.channel = channel;
        this.name = name;
        this.boundBytes = boundBytes;
        this.grace = grace;
        this.clock = clock;
        this.closing = closing;
        this.lastHeard = clock.getAsLong();
    }

    String name() {
        return name;
    }

    /**
     * A frame on its way out, encoded once (UTF-8 is what goes on the wire, and what costs memory);
     * {@code counted} is what it weighs against the bound: its size when live, 0 when it replays the history.
     */
    private record Outgoing(byte[] utf8, int counted) {
        static Outgoing of(String frame, boolean live) {
            byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
            return new Outgoing(utf8, live ? utf8.length : 0);
        }
    }

    /**
     * Queues the history this peer missed. Call before any live frame, then {@link #pump()}. It does not
     * count against the bound: a page catching up is reading, not falling behind, and the history's size
     * bounds it anyway.
     */
    void replay(List<String> frames) {
        synchronized (lock) {
            for (String frame : frames) {
                waiting.addLast(Outgoing.of(frame, false));
            }
        }
    }

    /**
     * Queues a frame without sending it (call {@link #pump()} after): cheap enough to call for every peer
     * while the relay holds its lock, which is what keeps every peer's frames in the one server order.
     *
     * @return false when the frame would put the peer over its bound: close it
     */
    boolean enqueue(String frame) {
        Outgoing out = Outgoing.of(frame, true);
        synchronized (lock) {
            long unwritten = unwrittenBytes + out.counted();
            boolean fits = unwritten <= boundBytes;
            if (fits) {
                unwrittenBytes = unwritten;
                waiting.addLast(out);
            }
            return fits;
        }
    }

    /**
     * Hands everything waiting to Undertow as one batch, written with one flush; the frames that come while it
     * is being written wait here for the next batch. Returns at once if a batch is being written.
     */
    void pump() {
        List<Outgoing> batch;
        synchronized (lock) {
            if (writing || closed || waiting.isEmpty()) {
                return;
            }
            batch = List.copyOf(waiting);
            waiting.clear();
            writing = true;
        }
        handOver(batch);
    }

    /**
     * Queues the batch's frames in Undertow without writing them, then writes them all with one flush: one
     * gathering write to the socket instead of one write per frame. (A ping or a close frame queued by another
     * thread meanwhile goes out with that flush too.)
     */
    private void handOver(List<Outgoing> batch) {
        long weight = 0;
        for (Outgoing frame : batch) {
            weight += frame.counted();
        }
        Outgoing last = batch.get(batch.size() - 1);
        channel.setRequireExplicitFlush(true);
        try {
            for (Outgoing frame : batch.subList(0, batch.size() - 1)) {
                WebSockets.sendText(ByteBuffer.wrap(frame.utf8()), channel, NOT_WRITTEN_IS_FINE, null);
            }
            WebSockets.sendText(ByteBuffer.wrap(last.utf8()), channel, batchWritten, weight);
        } finally {
            channel.setRequireExplicitFlush(false);
        }
        channel.flush();
    }

    /**
     * A batch's last frame is written, so all of it is (Undertow writes in order): the next batch may go. Not
     * from here, though: Undertow may call this inside {@code sendText}, when it wrote the frame at once, and a
     * pump from here would then nest one call deeper with every batch. The I/O thread runs it next.
     */
    private final class BatchWritten implements WebSocketCallback<Long> {
        @Override
        public void complete(WebSocketChannel ws, Long weight) {
            synchronized (lock) {
                unwrittenBytes -= weight;
                writing = false;
            }
            ws.getIoThread().execute(Peer.this::pump);
        }

        @Override
        public void onError(WebSocketChannel ws, Long weight, Throwable failure) {
            // Not written: see NOT_WRITTEN_IS_FINE.
        }
    }

    /**
     * A frame that could not be written: the connection broke (Undertow closes it), or a closing handshake had
     * begun (no data frame may follow a close frame). Either way nothing more is to be done: cutting the
     * connection here would cut the close handshake short.
     */
    private static final WebSocketCallback<Void> NOT_WRITTEN_IS_FINE = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ws, Void context) {
        }

        @Override
        public void onError(WebSocketChannel ws, Void context, Throwable failure) {
        }
    };

    /**
     * Starts the closing handshake: drops what still waits, sends a close frame with {@code code} and
     * {@code reason} (after the batch being written, if any), and cuts the connection if the peer has not
     * answered within the grace period. Only the first call counts.
     */
    void close(int code, String reason) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing.accept(this);
        WebSockets.sendClose(code, fitting(reason), channel, closeWritten);
        cutAfterGrace();
    }

    /**
     * The reason, cut to what a close frame can carry (a reason may quote what the peer sent): the encoder
     * stops before the first character that does not fit whole.
     */
    static String fitting(String reason) {
        CharBuffer chars = CharBuffer.wrap(reason);
        StandardCharsets.UTF_8.newEncoder().encode(chars, ByteBuffer.allocate(MAX_REASON_BYTES), true);
        return reason.substring(0, chars.position());
    }

    /**
     * The peer sent a close frame. If we had sent ours, the handshake is complete; if not, ours answers it with
     * the same code. Either way Undertow then ends the TCP connection itself once both close frames have gone,
     * as RFC 6455 §7.1.1 asks: nothing to do here but answer.
     */
    void closeReceived(ByteBuffer closeFrame) {
        if (channel.isCloseFrameSent()) {
            return;
        }
        synchronized (lock) {
            closed = true;
        }
        closing.accept(this);
        WebSockets.sendClose(closeFrame, channel, closeWritten);
    }

    /** Our close frame is written, or could not be: a shutdown waits for this. */
    private final class CloseWritten implements WebSocketCallback<Void> {
        @Override
        public void complete(WebSocketChannel ws, Void context) {
            closeSent.complete(null);
        }

        @Override
        public void onError(WebSocketChannel ws, Void context, Throwable failure) {
            closeSent.complete(null);
        }
    }

    /** The peer has {@code grace} to finish a closing handshake that has begun; then the connection is cut. */
    void cutAfterGrace() {
        channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the close frame has been written (or could not be). */
    CompletableFuture<Void> closeSent() {
        return closeSent;
    }

    /** Any frame from the peer (a message, a pong, a ping) shows it is alive: the ping that is out is answered. */
    void heard() {
        lastHeard = clock.getAsLong();
        pingOut = false;
    }

    /**
     * Called on every keep-alive tick: pings a peer that has been silent for {@code pingAfter}, and closes
     * one that has not answered a ping within {@code pongWithin}.
     */
    void keepAlive(long now, Duration pingAfter, Duration pongWithin) {
        if (pingOut) {
            if (now - pingSent >= pongWithin.toNanos()) {
                close(CloseCodes.GOING_AWAY, "no pong within " + pongWithin.toMillis() + " ms");
            }
        } else if (now - lastHeard >= pingAfter.toNanos()) {
            pingSent = now;
            pingOut = true;
            WebSockets.sendPing(ByteBuffer.wrap(PING), channel, null);
        }
    }
}

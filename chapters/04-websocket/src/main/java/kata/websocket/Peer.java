package kata.websocket;

import io.undertow.websockets.core.WebSocketChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One open socket: who is on it, and the frames waiting to go out to it.
 *
 * <p>Your code goes here (lesson §8 "Slow peers and backpressure", §9 "Keep-alive"). The trap:
 * {@code WebSockets.sendText(text, channel, null)} never blocks, and Undertow queues whatever it cannot
 * write yet — without a limit. A peer that reads slowly then costs the server memory without end. Send
 * in batches (all that waits, one flush; the next batch when Undertow's callback says the last frame of this
 * one was written), count the bytes of the live frames not yet written, and close a peer that would need more
 * than {@code boundBytes} with 1008.
 */
final class Peer {
    private final WebSocketChannel channel;
    private final String name;

    /**
     * @param grace   how long a peer has to answer our close frame before its connection is cut
     * @param clock   the time in nanoseconds ({@link Settings#clock()}): read it, not System.nanoTime()
     * @param closing told once, when the closing handshake begins (either side): the relay forgets the peer
     */
    Peer(WebSocketChannel channel, String name, int boundBytes, Duration grace, LongSupplier clock,
         Consumer<Peer> closing) {
        this.channel = channel;
        this.name = name;
        // TODO keep what you need
    }

    String name() {
        return name;
    }

    WebSocketChannel channel() {
        return channel;
    }

    /** Queues the history this peer missed. Call before any live frame, then {@link #pump()}. */
    void replay(List<String> frames) {
        throw new UnsupportedOperationException("TODO lesson §7");
    }

    /**
     * Queues a frame without sending it (call {@link #pump()} after).
     *
     * @return false when the peer is over its bound: close it
     */
    boolean enqueue(String frame) {
        throw new UnsupportedOperationException("TODO lesson §8");
    }

    /** Hands what waits to Undertow, one batch at a time. */
    void pump() {
        throw new UnsupportedOperationException("TODO lesson §8");
    }

    /** Starts the closing handshake with {@code code} and {@code reason}. Only the first call counts. */
    void close(int code, String reason) {
        throw new UnsupportedOperationException("TODO lesson §6: WebSockets.sendClose(code, reason, channel, …)");
    }

    /** The peer sent a close frame: answer it (once both have gone, Undertow ends the TCP connection). */
    void closeReceived(ByteBuffer closeFrame) {
        throw new UnsupportedOperationException("TODO lesson §9");
    }

    /** Any frame from the peer shows it is alive. */
    void heard() {
        // TODO lesson §9: remember when
    }

    /** Pings a peer that has been silent for {@code pingAfter}; closes one that did not answer within {@code pongWithin}. */
    void keepAlive(long now, Duration pingAfter, Duration pongWithin) {
        throw new UnsupportedOperationException("TODO lesson §9");
    }
}

package kata.websocket;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.CloseMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.Pooled;

/**
 * What one socket receives, on its I/O thread: every text message is read whole (up to the size limit),
 * checked, and handed to the {@link Relay}. Nothing here waits.
 */
final class Inbox extends AbstractReceiveListener {
    private final Peer peer;
    private final Relay relay;
    private final int maxBytes;

    Inbox(Peer peer, Relay relay, int maxBytes) {
        this.peer = peer;
        this.relay = relay;
        this.maxBytes = maxBytes;
    }

    /**
     * Reads a text message whole, as {@link AbstractReceiveListener} does, but says what happens past the
     * limit: Undertow has sent close 1009 and stopped reading the message. Rather than cut the connection at
     * once (the 1009 might not be out yet), the peer has the grace period to answer it; when it does, Undertow
     * ends the connection itself.
     */
    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel frames) {
        peer.heard();
        BufferedTextMessage text = new BufferedTextMessage(maxBytes, true);
        text.read(frames, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ws, BufferedTextMessage message) {
                received(message.getData());
            }

            @Override
            public void onError(WebSocketChannel ws, BufferedTextMessage message, Throwable failure) {
                peer.cutAfterGrace(); // over the limit: Undertow sent 1009 (or the connection broke: it is closed)
            }
        });
    }

    private void received(String text) {
        Frames.FromPage frame;
        try {
            frame = Frames.parse(text);
        } catch (Frames.Refused refused) {
            if (refused.closeCode() != 0) {
                peer.close(refused.closeCode(), refused.getMessage());
            } else if (peer.enqueue(Frames.error(refused.getMessage()))) {
                peer.pump();
            }
            return;
        }
        if (frame instanceof Frames.Say say) {
            relay.publish(peer, say.text());
        } else if (frame instanceof Frames.Typing) {
            relay.typing(peer);
        }
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxBytes;
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> unread = message.getData()) { // given back to Undertow's pool at the end
            peer.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not spoken here: send JSON text");
        }
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> unread = message.getData()) {
            peer.heard();
        }
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        peer.heard();
        super.onFullPingMessage(channel, message); // answers with a pong
    }

    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            peer.closeReceived(new CloseMessage(data.getResource()).toByteBuffer());
        }
    }
}

package kata.websocket;

import io.undertow.websockets.core.AbstractReceiveListener;

/**
 * What one socket receives, on its I/O thread. Your code goes here (lesson §2 and §6): read each text
 * message whole (override {@code onFullTextMessage}), but never more than the size limit (Undertow's
 * {@code getMaxTextBufferSize()}); parse it with {@link Frames#parse}; hand it to the {@link Relay}; answer
 * what is wrong with the right close code or an error frame. Pongs, pings and close frames arrive here too.
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
}

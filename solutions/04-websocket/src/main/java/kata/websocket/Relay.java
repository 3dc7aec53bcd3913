package kata.websocket;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The open sockets and the history, and the one order in which every socket gets every message.
 *
 * <p>One lock makes that order: storing a message (its id) and queueing it on every peer happen together,
 * so no peer can get message 8 before message 7, and a socket that joins gets the history it missed and
 * then every live frame — nothing in between lost, nothing twice. Nothing slow happens under the lock:
 * queueing a frame is adding to a bounded list; the writing happens after, in {@link Peer#pump()}.
 */
final class Relay {
    private final History history;
    private final Set<Peer> peers = new LinkedHashSet<>();
    private boolean shutDown;

    Relay(int historySize) {
        this.history = new History(historySize);
    }

    /**
     * Adds a socket, which first gets what was said after message {@code since}; closes it with 1001 instead
     * if the relay has shut down (a handshake that ended while the server was closing).
     */
    void join(Peer peer, long since) {
        boolean open;
        synchronized (this) {
            open = !shutDown;
            if (open) {
                List<String> missed = new ArrayList<>();
                for (ChatMessage message : history.after(since)) {
                    missed.add(Frames.message(message));
                }
                peer.replay(missed);
                peers.add(peer);
            }
        }
        if (open) {
            peer.pump();
        } else {
            peer.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    /** Takes no socket any more; returns those still open, for the caller to close. */
    synchronized List<Peer> shutDown() {
        shutDown = true;
        return List.copyOf(peers);
    }

    synchronized void leave(Peer peer) {
        peers.remove(peer);
    }

    /** Stores a message with the next id and sends it to every socket, the sender's too (its page shows it then). */
    void publish(Peer from, String text) {
        List<Peer> to;
        List<Peer> tooSlow = new ArrayList<>();
        synchronized (this) {
            String frame = Frames.message(history.append(new NewMessage(from.name(), text)));
            to = List.copyOf(peers);
            for (Peer peer : to) {
                if (!peer.enqueue(frame)) {
                    tooSlow.add(peer);
                }
            }
        }
        deliver(to, tooSlow);
    }

    /** Tells every other socket that {@code from} is typing. Not stored: a page that was away missed nothing. */
    void typing(Peer from) {
        List<Peer> to = new ArrayList<>();
        List<Peer> tooSlow = new ArrayList<>();
        synchronized (this) {
            String frame = Frames.typing(from.name());
            for (Peer peer : peers) {
                if (peer != from) {
                    to.add(peer);
                    if (!peer.enqueue(frame)) {
                        tooSlow.add(peer);
                    }
                }
            }
        }
        deliver(to, tooSlow);
    }

    private static void deliver(List<Peer> to, List<Peer> tooSlow) {
        for (Peer peer : tooSlow) {
            peer.close(CloseCodes.POLICY_VIOLATION, "too slow: more bytes waiting than the server keeps for one socket");
        }
        for (Peer peer : to) {
            peer.pump();
        }
    }

    synchronized int size() {
        return peers.size();
    }

    synchronized List<Peer> peers() {
        return List.copyOf(peers);
    }
}

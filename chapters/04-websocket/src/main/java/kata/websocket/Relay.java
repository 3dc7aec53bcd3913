package kata.websocket;

import java.util.List;

/**
 * The open sockets and the history, and the one order in which every socket gets every message.
 *
 * <p>Your code goes here (lesson §3 "One order for everyone", §7 "Reconnect and resume"). Many I/O threads
 * call these methods at once. Think about what must happen together so that no socket gets message 8
 * before message 7, and a socket that joins gets the history it missed and then every live frame, with
 * nothing lost in between and nothing twice. Nothing slow may happen while you hold a lock.
 */
final class Relay {
    Relay(int historySize) {
        // TODO keep a History of historySize messages (given) and the set of open peers
    }

    /**
     * Adds a socket, which first gets what was said after message {@code since}; closes it with 1001 instead
     * if the relay has shut down.
     */
    void join(Peer peer, long since) {
        throw new UnsupportedOperationException("TODO lesson §7: add the peer, after queueing what it missed");
    }

    void leave(Peer peer) {
        throw new UnsupportedOperationException("TODO lesson §9: forget the peer");
    }

    /** Stores a message with the next id and sends it to every socket, the sender's too (its page shows it then). */
    void publish(Peer from, String text) {
        throw new UnsupportedOperationException("TODO lesson §3: store, then queue Frames.message(...) on every peer");
    }

    /** Tells every other socket that {@code from} is typing. Not stored. */
    void typing(Peer from) {
        throw new UnsupportedOperationException("TODO lesson §4: queue Frames.typing(...) on every other peer");
    }

    /** Takes no socket any more; returns those still open, for the caller to close. */
    List<Peer> shutDown() {
        throw new UnsupportedOperationException("TODO lesson §9");
    }

    int size() {
        return 0; // TODO lesson §9
    }

    List<Peer> peers() {
        return List.of(); // TODO lesson §9: a copy, for the keep-alive ticker to walk through
    }
}

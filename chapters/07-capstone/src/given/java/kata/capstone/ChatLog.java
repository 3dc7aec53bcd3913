package kata.capstone;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The one message log behind all three transports: every message gets the next id and goes into a bounded
 * history (the newest {@code capacity}), then to every listener, whatever carries it to its page.
 *
 * <p>One lock guards the history and the listeners together, so a listener that joins with a cursor gets
 * exactly what came after it: what is already in the history as its replay, what comes later live — never
 * both, never neither. Nothing under the lock waits: a listener only queues.
 */
final class ChatLog {
    /** Whatever carries messages to one page: an open WebSocket, an event stream, a held long poll. */
    interface Listener {
        /** Queues the message for its page; false when this listener is done and leaves. Never blocks. */
        boolean deliver(ChatMessage message);
    }

    private final ChatMessage[] ring;
    private final Set<Listener> listeners = new LinkedHashSet<>();
    private long lastId;

    ChatLog(int capacity) {
        this.ring = new ChatMessage[capacity];
    }

    synchronized ChatMessage append(NewMessage message) {
        ChatMessage stored = message.withId(++lastId);
        ring[slot(stored.id())] = stored;
        listeners.removeIf(listener -> !listener.deliver(stored));
        return stored;
    }

    /** The kept messages with an id greater than {@code since}, oldest first. */
    synchronized List<ChatMessage> after(long since) {
        long oldestKept = Math.max(1, lastId - ring.length + 1);
        List<ChatMessage> newer = new ArrayList<>();
        for (long id = Math.max(since + 1, oldestKept); id <= lastId; id++) {
            newer.add(ring[slot(id)]);
        }
        return newer;
    }

    /**
     * Hands the listener its replay (the messages after {@code since}, maybe none) and, when it asks for
     * more ({@code start} returns true), lets it join — in one step, under the lock, so that the replay is
     * queued before any live message.
     */
    synchronized void join(long since, Listener listener, Predicate<List<ChatMessage>> start) {
        if (start.test(after(since))) {
            listeners.add(listener);
        }
    }

    synchronized void leave(Listener listener) {
        listeners.remove(listener);
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}

package kata.websocket;

import java.util.ArrayList;
import java.util.List;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The chat's newest messages, each with an id one greater than the last: chapter 01's log, given here.
 * A reconnecting page says the last id it saw and gets what is after it. Only the newest {@code capacity}
 * are kept: a page that was away for longer gets what is left. Not thread-safe: {@link Relay} guards it.
 */
final class History {
    private final ChatMessage[] ring;
    private long lastId;

    History(int capacity) {
        this.ring = new ChatMessage[capacity];
    }

    ChatMessage append(NewMessage message) {
        ChatMessage stored = message.withId(++lastId);
        ring[slot(stored.id())] = stored;
        return stored;
    }

    /** The messages with an id greater than {@code since}, oldest first. */
    List<ChatMessage> after(long since) {
        long oldestKept = Math.max(1, lastId - ring.length + 1);
        List<ChatMessage> newer = new ArrayList<>();
        for (long id = Math.max(since + 1, oldestKept); id <= lastId; id++) {
            newer.add(ring[slot(id)]);
        }
        return newer;
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}

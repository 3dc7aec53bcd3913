package kata.jsonp;

import java.util.ArrayList;
import java.util.List;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The chat's messages in the order they arrived, each with an id one greater than the last; only the
 * newest {@code capacity} are kept. Given code: chapter 01 (polling) is where you wrote one of these.
 */
final class MessageLog {
    private final ChatMessage[] ring;
    private long lastId;

    MessageLog(int capacity) {
        this.ring = new ChatMessage[capacity];
    }

    synchronized ChatMessage append(NewMessage message) {
        ChatMessage stored = message.withId(++lastId);
        ring[slot(stored.id())] = stored;
        return stored;
    }

    /** The messages with an id greater than {@code since}, oldest first, at most {@code limit} of them. */
    synchronized List<ChatMessage> after(long since, int limit) {
        long oldestKept = Math.max(1, lastId - ring.length + 1);
        List<ChatMessage> newer = new ArrayList<>();
        for (long id = Math.max(since + 1, oldestKept); id <= lastId && newer.size() < limit; id++) {
            newer.add(ring[slot(id)]);
        }
        return newer;
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}

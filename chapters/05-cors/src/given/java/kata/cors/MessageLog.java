package kata.cors;

import java.util.ArrayList;
import java.util.List;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The chat's messages in the order they arrived, each with an id one greater than the last; only the
 * newest {@code capacity} are kept. Chapter 01's log, given here: this chapter is about who may call it.
 */
final class MessageLog {
    /** What a poll gets: the messages newer than its cursor, and the newest id the log holds. */
    record Batch(List<ChatMessage> messages, long lastId) {
    }

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

    /** The messages with an id greater than {@code since}, oldest first, and the newest id, read at once. */
    synchronized Batch after(long since) {
        long oldestKept = Math.max(1, lastId - ring.length + 1);
        List<ChatMessage> newer = new ArrayList<>();
        for (long id = Math.max(since + 1, oldestKept); id <= lastId; id++) {
            newer.add(ring[slot(id)]);
        }
        return new Batch(newer, lastId);
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}

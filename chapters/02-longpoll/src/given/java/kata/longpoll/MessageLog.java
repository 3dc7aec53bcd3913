package kata.longpoll;

import java.util.ArrayList;
import java.util.List;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * Given (chapter 01's answer): the chat's messages in the order they arrived, each with an id one
 * greater than the last. Only the newest {@code capacity} are kept, so memory stays bounded however long
 * the server runs; a client that was away for longer than that gets what is left.
 */
final class MessageLog {
    private final ChatMessage[] ring;
    private long lastId;

    MessageLog(int capacity) {
        this.ring = new ChatMessage[capacity];
    }

    /** Stores the message with the next id (1, 2, 3, …) and returns it as stored. */
    synchronized ChatMessage append(NewMessage message) {
        ChatMessage stored = message.withId(++lastId);
        ring[slot(stored.id())] = stored;
        return stored;
    }

    /** The messages with an id greater than {@code since}, oldest first; empty when there are none. */
    synchronized List<ChatMessage> after(long since) {
        long oldestKept = Math.max(1, lastId - ring.length + 1);
        List<ChatMessage> newer = new ArrayList<>();
        for (long id = Math.max(since + 1, oldestKept); id <= lastId; id++) {
            newer.add(ring[slot(id)]);
        }
        return newer;
    }

    /** The id of the newest message, 0 before the first: no client can have seen a greater one. */
    synchronized long lastId() {
        return lastId;
    }

    private int slot(long id) {
        return (int) ((id - 1) % ring.length);
    }
}

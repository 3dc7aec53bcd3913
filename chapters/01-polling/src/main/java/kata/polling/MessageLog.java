package kata.polling;

import java.util.List;
import kata.chat.ChatMessage;
import kata.chat.NewMessage;

/**
 * The chat's messages in the order they arrived, each with an id one greater than the last.
 *
 * <p>Your code goes here (lesson §3 "The since cursor"). Several threads call these methods at once,
 * and memory must stay bounded however long the server runs: keep only the newest {@code capacity}
 * messages. Run {@code ./kata hint 01-polling} if you are stuck.
 */
final class MessageLog {
    MessageLog(int capacity) {
        // TODO keep what you need to store up to `capacity` messages
    }

    /** Stores the message with the next id (1, 2, 3, …) and returns it as stored. */
    ChatMessage append(NewMessage message) {
        throw new UnsupportedOperationException("TODO lesson §3: store the message with the next id");
    }

    /** The messages with an id greater than {@code since}, oldest first; empty when there are none. */
    List<ChatMessage> after(long since) {
        throw new UnsupportedOperationException("TODO lesson §3: the messages newer than `since`");
    }
}

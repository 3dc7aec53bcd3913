package kata.chat;

/** One message of the chat, as the server stores it and every page receives it. */
public record ChatMessage(long id, String author, String text) {
}

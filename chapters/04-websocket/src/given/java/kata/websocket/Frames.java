package kata.websocket;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import kata.chat.ChatMessage;
import kata.chat.Json;
import kata.chat.NewMessage;

/**
 * The chat's protocol over the socket: one JSON object per text message, its kind in {@code "type"}.
 *
 * <pre>
 * page → server   {"type":"message","text":"hi"}        a chat message; the author is the socket's ?name=
 *                 {"type":"typing"}                     "I am typing" (the page sends it at most once a second)
 * server → page   {"type":"message","id":7,"author":"Alice","text":"hi"}   to every socket, the sender's too
 *                 {"type":"typing","author":"Alice"}    to every socket but the typist's
 *                 {"type":"error","reason":"…"}         a message the server refused; the socket stays open
 * </pre>
 */
final class Frames {
    private Frames() {
    }

    /** What a page sent, checked. */
    sealed interface FromPage permits Say, Typing {
    }

    record Say(String text) implements FromPage {
    }

    record Typing() implements FromPage {
    }

    /**
     * A frame the server does not take. With a {@link #closeCode()} the sender is broken and its socket is
     * closed with that code; without one ({@code 0}) the frame broke a chat rule (blank text, text too long)
     * and is answered with an error frame.
     */
    static final class Refused extends RuntimeException {
        private final int closeCode;

        Refused(int closeCode, String reason) {
            super(reason);
            this.closeCode = closeCode;
        }

        int closeCode() {
            return closeCode;
        }
    }

    /** Parses one text message from a page. */
    static FromPage parse(String json) {
        JsonObject object = strictObject(json);
        JsonElement type = object.get("type");
        if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
            throw broken("a frame needs a \"type\": \"message\" or \"typing\"");
        }
        switch (type.getAsString()) {
            case "typing":
                return new Typing();
            case "message":
                JsonElement text = object.get("text");
                if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
                    throw broken("a message needs \"text\", a string");
                }
                String said = text.getAsString();
                if (said.isBlank()) {
                    throw new Refused(0, "\"text\" must not be empty");
                }
                if (said.length() > NewMessage.MAX_TEXT) {
                    throw new Refused(0, "\"text\" is longer than " + NewMessage.MAX_TEXT + " characters");
                }
                return new Say(said);
            default:
                throw broken("unknown \"type\": " + Json.write(type.getAsString()));
        }
    }

    static String message(ChatMessage message) {
        return Json.write(new MessageOut("message", message.id(), message.author(), message.text()));
    }

    static String typing(String author) {
        return Json.write(new TypingOut("typing", author));
    }

    static String error(String reason) {
        return Json.write(new ErrorOut("error", reason));
    }

    private record MessageOut(String type, long id, String author, String text) {
    }

    private record TypingOut(String type, String author) {
    }

    private record ErrorOut(String type, String reason) {
    }

    private static Refused broken(String reason) {
        return new Refused(CloseCodes.INVALID_PAYLOAD, reason);
    }

    private static JsonObject strictObject(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw broken("malformed JSON: more after the object");
            }
            if (!element.isJsonObject()) {
                throw broken("expected a JSON object like {\"type\":\"message\",\"text\":\"hi\"}");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw broken("malformed JSON");
        }
    }
}

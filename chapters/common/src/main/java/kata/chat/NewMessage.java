package kata.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * What a client sends to post a message, {@code {"author": "Alice", "text": "hi"}}, checked at the edge:
 * whatever reaches the rest of the server is valid. Everything else is a {@link BadRequest} that names
 * the rule and the HTTP status to answer with.
 */
public record NewMessage(String author, String text) {
    /** Longest text, in characters (UTF-16 code units, as JavaScript's {@code length} counts them). */
    public static final int MAX_TEXT = 500;
    public static final int MAX_AUTHOR = 40;

    public static NewMessage parse(String json) {
        JsonObject object = strictObject(json);
        String author = string(object, "author");
        String text = string(object, "text");
        if (author.isBlank()) {
            throw new BadRequest(400, "\"author\" must not be empty");
        }
        if (author.length() > MAX_AUTHOR) {
            throw new BadRequest(400, "\"author\" is longer than " + MAX_AUTHOR + " characters");
        }
        if (text.isBlank()) {
            throw new BadRequest(400, "\"text\" must not be empty");
        }
        if (text.length() > MAX_TEXT) {
            throw new BadRequest(413, "\"text\" is longer than " + MAX_TEXT + " characters");
        }
        return new NewMessage(author, text);
    }

    public ChatMessage withId(long id) {
        return new ChatMessage(id, author, text);
    }

    private static JsonObject strictObject(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new BadRequest(400, "malformed JSON: more after the object");
            }
            if (!element.isJsonObject()) {
                throw new BadRequest(400, "expected a JSON object like {\"author\": \"Alice\", \"text\": \"hi\"}");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new BadRequest(400, "malformed JSON: " + e.getMessage());
        }
    }

    private static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new BadRequest(400, "\"" + field + "\" is missing");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new BadRequest(400, "\"" + field + "\" must be a string");
        }
        return value.getAsString();
    }
}

package kata.cors;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import kata.chat.BadRequest;
import kata.chat.NewMessage;

/** What the app sends to log in, {@code {"name": "Alice"}}, checked at the edge like {@link NewMessage}. */
record Login(String name) {
    static Login parse(String json) {
        JsonElement element;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new BadRequest(400, "malformed JSON: more after the object");
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new BadRequest(400, "malformed JSON: " + e.getMessage());
        }
        JsonElement name = element.isJsonObject() ? element.getAsJsonObject().get("name") : null;
        if (name == null || !name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
            throw new BadRequest(400, "expected {\"name\": \"Alice\"}: \"name\" must be a string");
        }
        String value = name.getAsString();
        if (value.isBlank()) {
            throw new BadRequest(400, "\"name\" must not be empty");
        }
        if (value.length() > NewMessage.MAX_AUTHOR) {
            throw new BadRequest(400, "\"name\" is longer than " + NewMessage.MAX_AUTHOR + " characters");
        }
        return new Login(value);
    }
}

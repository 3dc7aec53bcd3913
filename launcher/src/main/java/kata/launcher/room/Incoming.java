package kata.launcher.room;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A report as it arrives, {@code POST /report}: read strictly and bounded in every field, or refused with
 * 400 and the reason. Only the fields of a {@link RoomReport} and the envelope (the room code, the
 * participant's random id) are accepted; an unknown field is refused rather than ignored, so that a client
 * that sends more than it should is told so.
 *
 * <pre>
 * {"code": "K7QF", "id": "3f9c…", "name": "Ada &amp; Bob", "chapter": "03-sse", "green": 5, "total": 17,
 *  "failing": "SseChatTest.bobSeesAlicesMessageWithoutReloading", "hints": 2, "at": "2026-11-28T07:30:00Z"}
 * </pre>
 */
record Incoming(String code, String id, RoomReport report) {
    static final int MAX_NAME = 40;
    static final int MAX_TEST = 200;
    static final int MAX_TESTS = 1000;
    static final int MAX_HINTS = 1000;
    private static final List<String> FIELDS = List.of("code", "id", "name", "chapter", "green", "total", "failing",
            "hints", "at");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern CHAPTER = Pattern.compile("\\d{2}-[a-z0-9-]{1,40}");
    /** What a test's name is made of: {@code Class.method}, maybe a parameterized display name. */
    private static final Pattern TEST = Pattern.compile("[\\p{L}\\p{N}_.$#()\\[\\],:= -]{1," + MAX_TEST + "}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\u2028\\u2029]");

    /** Reads a report; {@code chapters} are the kata's chapters (empty: any well-formed chapter name). */
    static Incoming parse(String json, Collection<String> chapters) {
        JsonObject object = strictObject(json);
        for (String field : object.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new Refusal(400, "\"" + field + "\" is not a field of a report; a report has only " + String.join(", ", FIELDS));
            }
        }
        String code = string(object, "code");
        String id = string(object, "id");
        if (!ID.matcher(id).matches()) {
            throw new Refusal(400, "\"id\" must be 8 to 64 letters, digits, _ or -");
        }
        String name = string(object, "name").strip();
        if (name.isEmpty()) {
            throw new Refusal(400, "\"name\" must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new Refusal(400, "\"name\" is longer than " + MAX_NAME + " characters");
        }
        if (CONTROL.matcher(name).find()) {
            throw new Refusal(400, "\"name\" must not hold control characters");
        }
        String chapter = string(object, "chapter");
        if (!CHAPTER.matcher(chapter).matches() || !chapters.isEmpty() && !chapters.contains(chapter)) {
            throw new Refusal(400, "\"chapter\" must be one of the kata's chapters" + (chapters.isEmpty() ? "" : ": " + chapters));
        }
        int total = whole(object, "total", MAX_TESTS);
        int green = whole(object, "green", total);
        int hints = whole(object, "hints", MAX_HINTS);
        JsonElement failingValue = object.get("failing");
        String failing = null;
        if (failingValue != null && !failingValue.isJsonNull()) {
            failing = string(object, "failing");
            if (!TEST.matcher(failing).matches()) {
                throw new Refusal(400, "\"failing\" must be a test's name (Class.method), at most " + MAX_TEST + " characters");
            }
        }
        if (failing != null && green == total) {
            throw new Refusal(400, "\"failing\" names a test, but every test is green");
        }
        Instant at;
        try {
            at = Instant.parse(string(object, "at"));
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "\"at\" must be an instant like 2026-11-28T07:30:00Z");
        }
        return new Incoming(code, id, new RoomReport(name, chapter, green, total, failing, hints, at));
    }

    private static JsonObject strictObject(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new Refusal(400, "malformed JSON: more after the object");
            }
            if (!element.isJsonObject()) {
                throw new Refusal(400, "expected a JSON object: a report");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new Refusal(400, "malformed JSON");
        }
    }

    private static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new Refusal(400, "\"" + field + "\" is missing");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new Refusal(400, "\"" + field + "\" must be a string");
        }
        return value.getAsString();
    }

    private static int whole(JsonObject object, String field, int most) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new Refusal(400, "\"" + field + "\" is missing");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()
                || !value.getAsString().matches("\\d{1,9}") || Integer.parseInt(value.getAsString()) > most) {
            throw new Refusal(400, "\"" + field + "\" must be a whole number from 0 to " + most);
        }
        return Integer.parseInt(value.getAsString());
    }
}

package kata.launcher.room;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.time.Instant;

/**
 * The room's JSON: Gson, with instants as ISO-8601 text ({@code 2026-11-28T07:30:00Z}). No HTML escaping: the
 * board's JSON is read by {@code JSON.parse} and shown with {@code textContent}, never put into HTML.
 */
final class RoomJson {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().registerTypeAdapter(Instant.class, new TypeAdapter<Instant>() {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Instant.parse(in.nextString());
        }
    }).create();

    static final Gson PRETTY = GSON.newBuilder().setPrettyPrinting().create();

    private RoomJson() {
    }

    static String write(Object value) {
        return GSON.toJson(value);
    }
}

package kata.chat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** JSON out. Escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029, so it is safe inside HTML and JavaScript too. */
public final class Json {
    private static final Gson GSON = new GsonBuilder().create();

    private Json() {
    }

    public static String write(Object value) {
        return GSON.toJson(value);
    }
}

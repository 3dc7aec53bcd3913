package kata.cors;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who is logged in: a session id (what the cookie carries) for each name. Ids are 128 random bits, so
 * nobody guesses one; at most {@code capacity} sessions are kept, the least recently used go first, so
 * memory stays bounded however many logins there are.
 */
final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> names;

    Sessions(int capacity) {
        this.names = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Starts a session for {@code name} and returns its id, the cookie's value. */
    synchronized String start(String name) {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String id = HexFormat.of().formatHex(bits);
        names.put(id, name);
        return id;
    }

    /** The name logged in under this id, if the id is one we gave out (and have not forgotten). */
    synchronized Optional<String> nameOf(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(names.get(id));
    }
}

package kata.launcher.room;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A participant's room, kept in {@code .kata/room.json} in their clone (ignored by git): the room's URL and
 * code ({@code ./kata join URL CODE}), the name they typed once, and a random id that keys their row (it is
 * nothing of the machine's, and the board never shows it). {@code ./kata leave} forgets the room and keeps the
 * name and id for the next join.
 */
public final class RoomConfig {
    private String url;
    private String code;
    private String name;
    private String id;

    private RoomConfig() {
    }

    private RoomConfig(String url, String code, String name, String id) {
        this.url = url;
        this.code = code;
        this.name = name;
        this.id = id;
    }

    public static Path fileIn(Path root) {
        return root.resolve(".kata/room.json");
    }

    /** The clone's room; an absent or damaged file is no room (it is only settings: join again). */
    public static RoomConfig load(Path root) {
        Path file = fileIn(root);
        if (Files.isRegularFile(file)) {
            try {
                RoomConfig config = RoomJson.GSON.fromJson(Files.readString(file), RoomConfig.class);
                if (config != null) {
                    return config;
                }
            } catch (IOException | JsonParseException e) {
                // start again
            }
        }
        return new RoomConfig();
    }

    /** A room to report to, with the name and id kept (a new id when there was none). */
    public RoomConfig joined(String roomUrl, String roomCode, String participantName) {
        String participant = id;
        if (participant == null || !participant.matches("[A-Za-z0-9_-]{8,64}")) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            participant = HexFormat.of().formatHex(random);
        }
        return new RoomConfig(roomUrl, roomCode, participantName, participant);
    }

    /** No room any more; the name and id stay for the next join. */
    public RoomConfig left() {
        return new RoomConfig(null, null, name, id);
    }

    public boolean inRoom() {
        return url != null && code != null && name != null && id != null;
    }

    public Optional<String> name() {
        return Optional.ofNullable(name).filter(n -> !n.isBlank());
    }

    public String url() {
        return url;
    }

    public String code() {
        return code;
    }

    String id() {
        return id;
    }

    public void save(Path root) {
        Path file = fileIn(root);
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling("room.json.next");
            Files.writeString(next, RoomJson.PRETTY.toJson(this));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

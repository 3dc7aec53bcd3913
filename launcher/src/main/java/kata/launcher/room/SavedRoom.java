package kata.launcher.room;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A room on disk, only when the leader asks for it ({@code ./kata room --save room.json}): the code, the
 * rows, and where the event ids are, so that a restarted room keeps its rows, its participants' code still
 * works, and a board that was open resumes its stream where it left off.
 */
final class SavedRoom {
    String code;
    /** The ids' prefix: a board's {@code Last-Event-ID} from another room is never taken for one of ours. */
    String generation;
    long lastId;
    int nextKey;
    List<Participant> participants = new ArrayList<>();

    /** The saved room in {@code file}, empty when there is none; an unreadable file is an error, never overwritten. */
    static Optional<SavedRoom> load(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SavedRoom saved = RoomJson.GSON.fromJson(Files.readString(file), SavedRoom.class);
            if (saved == null || saved.code == null || saved.generation == null || saved.participants == null
                    || saved.participants.stream().anyMatch(p -> p == null || p.id == null || p.key == null)) {
                throw new JsonParseException("not a saved room");
            }
            return Optional.of(saved);
        } catch (JsonParseException | DateTimeParseException e) {
            throw new IllegalStateException(file + " is not a saved room (" + e.getMessage()
                    + "). Move it away, or name another file with --save.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file whole or not at all: a new file beside it, then moved over it. */
    void write(Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path next = folder.resolve(file.getFileName() + ".next");
            Files.writeString(next, RoomJson.PRETTY.toJson(this));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

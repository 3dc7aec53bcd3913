package kata.launcher.room;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pair in the workshop, as far as the room sees them: a clone that joined ({@code .kata/room.json}) and the
 * launcher's real reporting code, {@link RoomReporter}, sending what a run of their chapter found.
 */
final class FakeParticipant {
    final String name;
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final RoomReporter reporter;

    FakeParticipant(Path folder, String name, String roomUrl, String code, Clock clock) {
        this.name = name;
        this.clock = clock;
        try {
            Path clone = Files.createDirectories(folder.resolve(name.replaceAll("\\W", "")));
            RoomConfig.load(clone).joined(roomUrl, code, name).save(clone);
            this.reporter = new RoomReporter(RoomConfig.load(clone), problems::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of {@code chapter}: {@code green} of {@code total} tests pass, {@code failing} the first red one. */
    RoomReporter.Outcome ran(String chapter, int green, int total, String failing, int hints) {
        try {
            return reporter.send(new RoomReport(name, chapter, green, total, failing, hints, clock.instant()))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(name + "'s report never ended", e);
        }
    }
}

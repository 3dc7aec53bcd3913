package kata.launcher.room;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * One participant as the room knows them: the last report, each chapter's last green/total, and since
 * when the same test has been the first to fail. Guarded by the {@link Board}'s lock; also the shape of a
 * participant in the saved room ({@code --save room.json}).
 */
final class Participant {
    /** A chapter's last known standing. */
    record Standing(int green, int total) {
    }

    /** The board's view of a participant: what the page draws, one row. Never the participant's id. */
    record Row(String key, String name, String chapter, int green, int total, String failing, int hints,
            String lastRun, boolean stuck, String stuckSince, Map<String, Standing> chapters) {
    }

    /** The participant's random id: it keys their reports and is never shown (a board viewer cannot pose as them). */
    String id;
    /** What the board calls their row: p1, p2, … in the order they joined. */
    String key;
    String name;
    String chapter;
    int green;
    int total;
    String failing;
    int hints;
    Instant reportedAt;
    /** The {@code at} of the newest run reported: an older one arriving late is ignored. */
    Instant ranAt;
    /** Since when {@link #failing} has been the first failing test of {@link #chapter}; null when all pass. */
    Instant failingSince;
    boolean stuck;
    Map<String, Standing> chapters = new TreeMap<>();

    /** Takes a report in; returns false for a run older than one already reported (reports may overtake). */
    boolean take(RoomReport report, Instant now) {
        if (ranAt != null && report.at().isBefore(ranAt)) {
            return false;
        }
        boolean sameTrouble = report.failing() != null && report.failing().equals(failing)
                && report.chapter().equals(chapter);
        name = report.name();
        chapter = report.chapter();
        green = report.green();
        total = report.total();
        failing = report.failing();
        hints = report.hints();
        ranAt = report.at();
        reportedAt = now;
        failingSince = failing == null ? null : sameTrouble && failingSince != null ? failingSince : now;
        chapters.put(chapter, new Standing(green, total));
        return true;
    }

    /** Whether this participant has had the same first failing test for {@code after} or longer at {@code now}. */
    boolean stuckAt(Instant now, Duration after) {
        return failingSince != null && !now.isBefore(failingSince.plus(after));
    }

    Row row(ZoneId zone) {
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
        return new Row(key, name, chapter, green, total, failing, hints,
                reportedAt == null ? null : clock.format(reportedAt), stuck,
                stuck && failingSince != null ? clock.format(failingSince) : null, new TreeMap<>(chapters));
    }
}

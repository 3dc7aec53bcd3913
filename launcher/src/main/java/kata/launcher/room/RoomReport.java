package kata.launcher.room;

import java.time.Instant;

/**
 * What a participant's launcher tells the room after a run of a chapter's tests: these fields and nothing
 * else — never code, never a path, nothing else from the machine.
 *
 * @param name    the participant's name as they typed it once ({@code ./kata join}), e.g. "Ada &amp; Bob"
 * @param chapter the chapter's folder name, e.g. {@code 03-sse}
 * @param green   how many of its tests pass
 * @param total   how many tests it has
 * @param failing the first failing test in the order of the hints ({@code Class.method}), or null when all pass
 * @param hints   how many hint steps of this chapter were shown
 * @param at      when the run ended
 */
public record RoomReport(String name, String chapter, int green, int total, String failing, int hints, Instant at) {
}

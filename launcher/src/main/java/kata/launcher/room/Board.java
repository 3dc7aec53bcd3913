package kata.launcher.room;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The room's state and its news, chapter 03's {@code Relay} applied to a board. The state is one row per
 * participant; every change of a row is an event ({@code row}, the whole row as JSON) with the next id,
 * kept in a bounded history and queued for every open stream.
 *
 * <p>A board that connects says where it left off ({@code Last-Event-ID}, or {@code ?since=} when it comes
 * back by long polling): it gets exactly the events after that id, then everything live. When the history no
 * longer reaches back that far — or the id is not ours: garbage, another room's, one from the future — it
 * gets a {@code snapshot} instead, every row in one event, with the id of the newest event: a board is
 * state, so the whole state replaces what the page shows. Replay and joining happen in one step under one
 * lock, and {@link #publish} takes the same lock: nothing lost, nothing twice (chapter 03 §4).
 *
 * <p>Every stream starts with a {@code hello} (no id, so the browser's last id stays): the chapters and the
 * stuck threshold. It is also the hello of chapter 07's fallback ladder: a transport that brought it works.
 */
final class Board {
    record Event(long id, String type, String json) {
    }

    /** The data of a {@code hello}: what the page needs to draw a row. */
    private record Hello(List<String> chapters, long stuckAfterMinutes) {
    }

    /** The data of a {@code snapshot}: every row. */
    private record Snapshot(List<Participant.Row> rows) {
    }

    private final String generation;
    private final Event[] history;
    private final long floor; // the last id of a restored room: its history starts after it
    private final Clock clock;
    private final Duration stuckAfter;
    private final int maxParticipants;
    private final Duration retry;
    private final String hello;
    private final Map<String, Participant> participants = new LinkedHashMap<>(); // by id
    private final Set<EventStream> subscribers = new LinkedHashSet<>();
    private final List<Runnable> onPublish = new ArrayList<>();
    private long lastId;
    private int nextKey;

    Board(SavedRoom saved, RoomServer.Options options) {
        this.generation = saved.generation;
        this.history = new Event[options.history()];
        this.floor = saved.lastId;
        this.lastId = saved.lastId;
        this.nextKey = saved.nextKey;
        this.clock = options.clock();
        this.stuckAfter = options.stuckAfter();
        this.maxParticipants = options.maxParticipants();
        this.retry = options.retry();
        saved.participants.forEach(p -> participants.put(p.id, p));
        this.hello = RoomJson.write(new Hello(options.chapters(), Math.max(1, stuckAfter.toMinutes())));
    }

    /** Called after every event, under the board's lock: it must only hand work over, never wait. */
    synchronized void onPublish(Runnable listener) {
        onPublish.add(listener);
    }

    /** Takes a valid report in and publishes the participant's row. A new participant is refused when the room is full. */
    synchronized void accept(String id, RoomReport report) {
        Participant participant = participants.get(id);
        if (participant == null) {
            if (participants.size() >= maxParticipants) {
                throw new Refusal(409, "the room is full: it takes " + maxParticipants + " participants");
            }
            participant = new Participant();
            participant.id = id;
            participant.key = "p" + ++nextKey;
        }
        Instant now = clock.instant();
        if (!participant.take(report, now)) {
            return; // a run older than one reported already: it arrived late, the row is newer
        }
        participants.put(id, participant);
        participant.stuck = participant.stuckAt(now, stuckAfter);
        publish("row", RoomJson.write(participant.row(clock.getZone())));
    }

    /** Marks who has become stuck (or is no longer) since the last look; the room calls it every few seconds. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Participant participant : participants.values()) {
            boolean stuck = participant.stuckAt(now, stuckAfter);
            if (stuck != participant.stuck) {
                participant.stuck = stuck;
                publish("row", RoomJson.write(participant.row(clock.getZone())));
            }
        }
    }

    private void publish(String type, String json) {
        Event event = new Event(++lastId, type, json);
        history[slot(event.id())] = event;
        ByteBuffer bytes = EventFormat.bytes(EventFormat.event(id(event.id()), type, json)); // once, for everyone
        for (EventStream subscriber : subscribers) {
            subscriber.send(bytes); // one too far behind cuts itself off; it comes back with its Last-Event-ID
        }
        onPublish.forEach(Runnable::run);
    }

    /** Starts a board's stream: the retry delay, the hello, what it missed (or a snapshot), then everything live. */
    synchronized void subscribe(EventStream stream, String lastEventId) {
        if (stream.isClosed()) {
            return;
        }
        stream.sendUncounted(EventFormat.bytes(EventFormat.retry(retry)));
        stream.sendUncounted(EventFormat.bytes(EventFormat.event("hello", hello)));
        for (Event event : after(lastEventId)) {
            stream.sendUncounted(EventFormat.bytes(EventFormat.event(id(event.id()), event.type(), event.json())));
        }
        subscribers.add(stream);
    }

    /**
     * A long poll's answer: the hello and the events after {@code since} (or a snapshot), as JSON; empty
     * when there is nothing newer and {@code orEmpty} is false (the poll is then held).
     */
    synchronized Optional<String> pollAnswer(String since, boolean orEmpty) {
        List<Event> events = after(since);
        if (events.isEmpty() && !orEmpty) {
            return Optional.empty();
        }
        JsonObject answer = new JsonObject();
        answer.add("hello", JsonParser.parseString(hello));
        JsonArray list = new JsonArray();
        for (Event event : events) {
            JsonObject item = new JsonObject();
            item.addProperty("id", id(event.id()));
            item.addProperty("type", event.type());
            item.add("data", JsonParser.parseString(event.json()));
            list.add(item);
        }
        answer.add("events", list);
        return Optional.of(answer.toString());
    }

    /** The events after {@code since} if the history still holds them all, else one snapshot of every row. */
    private List<Event> after(String since) {
        long from = resumePoint(since);
        if (from < 0) {
            List<Participant.Row> rows = participants.values().stream().map(p -> p.row(clock.getZone()))
                    .sorted(Comparator.comparing(Participant.Row::key)).toList();
            return List.of(new Event(lastId, "snapshot", RoomJson.write(new Snapshot(rows))));
        }
        List<Event> events = new ArrayList<>();
        for (long id = from; id <= lastId; id++) {
            events.add(history[slot(id)]);
        }
        return events;
    }

    /** The first id to replay, or -1 for a snapshot: no id, not ours, in the future, or older than the history. */
    private long resumePoint(String since) {
        if (since == null) {
            return -1;
        }
        int dash = since.lastIndexOf('-');
        if (dash < 0 || !since.substring(0, dash).equals(generation) || !since.substring(dash + 1).matches("\\d{1,18}")) {
            return -1;
        }
        long last = Long.parseLong(since.substring(dash + 1));
        long oldestKept = Math.max(floor + 1, lastId - history.length + 1);
        if (last > lastId || last + 1 < oldestKept) {
            return -1;
        }
        return last + 1;
    }

    synchronized long lastId() {
        return lastId;
    }

    synchronized void remove(EventStream stream) {
        subscribers.remove(stream);
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    /** Every stream, cut, as a network failure would; the boards reconnect by themselves. */
    int disconnectAll() {
        List<EventStream> cut;
        synchronized (this) {
            cut = new ArrayList<>(subscribers);
        }
        cut.forEach(EventStream::close);
        return cut.size();
    }

    /** The rows, as the board shows them, in the order of joining. */
    synchronized List<Participant.Row> rows() {
        return participants.values().stream().map(p -> p.row(clock.getZone())).toList();
    }

    /** What {@code --save} writes: a copy, taken under the lock, written outside it. */
    synchronized SavedRoom saved(String code) {
        SavedRoom saved = new SavedRoom();
        saved.code = code;
        saved.generation = generation;
        saved.lastId = lastId;
        saved.nextKey = nextKey;
        saved.participants = participants.values().stream()
                .map(p -> RoomJson.GSON.fromJson(RoomJson.GSON.toJson(p), Participant.class)).toList();
        return saved;
    }

    private String id(long n) {
        return generation + "-" + n;
    }

    private int slot(long id) {
        return (int) ((id - 1) % history.length);
    }
}

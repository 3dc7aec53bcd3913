package kata.sse;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kata.chat.Json;
import org.xnio.XnioIoThread;

/**
 * The chat's events and who receives them. Every event gets the next id and goes into a bounded history
 * (the newest {@code capacity} events), then to every subscriber.
 *
 * <p>One lock guards the history and the subscribers together. That is what makes the hand-over from
 * replay to live exact: a new subscriber gets the history after its {@code Last-Event-ID} and joins the
 * subscribers in one step, so an event published meanwhile is either in what it replays or in what it
 * receives live — never in both, never in neither. Nothing under the lock waits: publishing only hands the
 * event to the I/O threads, and they write it after the lock is released — in the order it was published,
 * because each thread runs its tasks in the order they were given.
 */
final class Relay {
    /** What {@link #resumePoint} answers when no replay can fill the page's gap: ids start at 1. */
    private static final long MUST_RESET = -1;

    private final StreamEvent[] history;
    private final Duration retry;
    private final Set<EventStream> subscribers = new LinkedHashSet<>();
    private final Map<String, Integer> online = new TreeMap<>(); // name → open streams; sorted for display
    private long lastId;

    Relay(int capacity, Duration retry) {
        this.history = new StreamEvent[capacity];
        this.retry = retry;
    }

    /** Stores an event with the next id and queues it for every subscriber. */
    synchronized StreamEvent publish(String type, String data) {
        StreamEvent event = new StreamEvent(++lastId, type, data);
        history[slot(event.id())] = event;
        ByteBuffer bytes = EventFormat.direct(EventFormat.event(event)); // encoded once, for everyone
        // One task per I/O thread, not one per subscriber: each thread writes the same bytes to its own streams.
        for (Map.Entry<XnioIoThread, List<EventStream>> streams : byIoThread().entrySet()) {
            streams.getKey().execute(() -> {
                for (EventStream subscriber : streams.getValue()) {
                    subscriber.send(bytes); // a subscriber too far behind cuts itself off; the others go on
                }
            });
        }
        return event;
    }

    /** The subscribers as they are now, grouped by the I/O thread that writes to each one's connection. */
    private Map<XnioIoThread, List<EventStream>> byIoThread() {
        Map<XnioIoThread, List<EventStream>> groups = new HashMap<>();
        for (EventStream subscriber : subscribers) {
            groups.computeIfAbsent(subscriber.ioThread(), thread -> new ArrayList<>()).add(subscriber);
        }
        return groups;
    }

    /**
     * Starts a subscriber's stream: the reconnection delay, then what it missed, then everything live.
     *
     * @param lastEventId the {@code Last-Event-ID} the browser sent, or null on a first connection
     */
    synchronized void subscribe(EventStream stream, String lastEventId) {
        stream.sendUncounted(EventFormat.bytes(EventFormat.retry(retry)));
        long oldestKept = Math.max(1, lastId - history.length + 1);
        long from = resumePoint(lastEventId, oldestKept);
        if (from == MUST_RESET) {
            // What the page shows has gaps we cannot fill: tell it to start again from what follows.
            // The reset carries the id just before the replay, so a reconnection right after it resumes there.
            stream.sendUncounted(EventFormat.bytes(EventFormat.event(oldestKept - 1, StreamEvent.RESET,
                    Json.write(new Reset("Last-Event-ID is not in the history: start again from what follows",
                            oldestKept)))));
            from = oldestKept;
        }
        for (long id = from; id <= lastId; id++) {
            stream.sendUncounted(EventFormat.bytes(EventFormat.event(history[slot(id)])));
        }
        subscribers.add(stream);
        String name = stream.name();
        if (name != null && online.merge(name, 1, Integer::sum) == 1) {
            publish(StreamEvent.PRESENCE, presence(name, "joined"));
        }
    }

    /**
     * The first id to replay, or {@link #MUST_RESET} when the page must reset: an id that is not a number we gave, that
     * is in the future (a server restarted since), or whose successors were already forgotten.
     */
    private long resumePoint(String lastEventId, long oldestKept) {
        if (lastEventId == null) {
            return oldestKept; // a first connection: the recent past, then live
        }
        if (!lastEventId.matches("\\d{1,18}")) {
            return MUST_RESET;
        }
        long last = Long.parseLong(lastEventId);
        if (last > lastId || last + 1 < oldestKept) {
            return MUST_RESET;
        }
        return last + 1;
    }

    /** Forgets a subscriber whose stream ended. Idempotent. */
    synchronized void remove(EventStream stream) {
        if (!subscribers.remove(stream)) {
            return;
        }
        String name = stream.name();
        if (name != null && online.merge(name, -1, Integer::sum) == 0) {
            online.remove(name);
            publish(StreamEvent.PRESENCE, presence(name, "left"));
        }
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    /** Every stream, cut. Their browsers reconnect by themselves. */
    int disconnectAll() {
        List<EventStream> cut;
        synchronized (this) {
            cut = new ArrayList<>(subscribers);
        }
        cut.forEach(EventStream::close); // each one removes itself, through remove()
        return cut.size();
    }

    /** The data of a {@code presence} event. */
    private record Presence(String name, String status, List<String> online) {
    }

    /** The data of a {@code reset} event: why, and the id of the first event that follows. */
    private record Reset(String reason, long from) {
    }

    private String presence(String name, String status) {
        return Json.write(new Presence(name, status, List.copyOf(online.keySet())));
    }

    private int slot(long id) {
        return (int) (id % history.length); // ids count up, so the newest overwrites the oldest
    }
}

package kata.sse;

import java.time.Duration;

/**
 * The chat's events and who receives them. Every event gets the next id and goes into a bounded history
 * (the newest {@code capacity} events), then to every subscriber.
 *
 * <p>Your code goes here (lesson §2, §4 and §5). Several threads call these methods at once: POST
 * handlers publish, new streams subscribe, ended streams are removed. The hand-over from replay to live
 * must lose nothing and send nothing twice — think about what one lock can cover. Nothing may wait
 * under it: {@link EventStream#send} only queues.
 */
final class Relay {
    Relay(int capacity, Duration retry) {
        // TODO keep: the history (bounded), the last id given, the subscribers, who is online
    }

    /** Stores an event with the next id (1, 2, 3, …) and sends it to every subscriber. */
    StreamEvent publish(String type, String data) {
        throw new UnsupportedOperationException("TODO lesson §2: give the event the next id, keep it, send it to everyone");
    }

    /**
     * Starts a subscriber's stream: the {@code retry:} delay, then what it missed, then everything live.
     *
     * @param lastEventId the {@code Last-Event-ID} the browser sent, or null on a first connection
     */
    void subscribe(EventStream stream, String lastEventId) {
        throw new UnsupportedOperationException("TODO lesson §4: replay after Last-Event-ID (or reset), then live");
    }

    /** Forgets a subscriber whose stream ended. Idempotent. */
    void remove(EventStream stream) {
        // TODO lesson §6: forget it (and, §5, tell the others if its person is now offline)
    }

    int subscriberCount() {
        return 0; // TODO lesson §6
    }

    /** Every stream, cut; returns how many. Their browsers reconnect by themselves. */
    int disconnectAll() {
        return 0; // TODO lesson §4
    }
}

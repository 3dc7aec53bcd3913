package kata.scaleout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This node's clients that wait for news: held long polls and open event streams. The stream reader hands
 * every batch it reads from Redis to {@link #deliver}, and each subscriber passes on what is newer than its
 * own cursor — so a client sees every message once, in the stream's order, whichever node it talks to.
 */
final class Fanout {
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** A subscriber catching up buffers what the reader delivers meanwhile; more than this and it is dropped. */
    private final int maxPending;

    Fanout(int maxPending) {
        this.maxPending = maxPending;
    }

    /**
     * A new subscriber at {@code cursor}, registered at once: from now on it misses nothing the reader
     * delivers. It buffers until {@link Subscriber#goLive}; register it <em>before</em> reading the
     * catch-up from Redis, or a message that arrives between the two reads is lost.
     */
    Subscriber subscribe(StreamId cursor) {
        Subscriber subscriber = new Subscriber(cursor);
        subscribers.add(subscriber);
        return subscriber;
    }

    /** How many subscribers are registered: held long polls, open event streams, and those still catching up. */
    int size() {
        return subscribers.size();
    }

    /** Called by the stream reader with each new batch, oldest first. */
    void deliver(List<ChatEvent> batch) {
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(batch);
        }
    }

    final class Subscriber {
        private StreamId cursor;
        private List<ChatEvent> pending = new ArrayList<>();
        private Consumer<List<ChatEvent>> sink;
        private volatile boolean gone;

        private Subscriber(StreamId cursor) {
            this.cursor = cursor;
        }

        /**
         * Ends the catch-up: passes on what the catch-up read found, then what arrived meanwhile, each only
         * if newer than what was passed on before; from then on every delivered batch goes straight to
         * {@code sink}. The sink is called under this subscriber's lock, one batch at a time: it must not block.
         *
         * @return false when the subscriber was dropped while it caught up (it buffered more than the bound, or
         *         it left): nothing was passed on, and the client must resume from its cursor
         */
        synchronized boolean goLive(List<ChatEvent> catchUp, Consumer<List<ChatEvent>> sink) {
            if (gone) {
                return false;
            }
            this.sink = sink;
            List<ChatEvent> buffered = pending;
            pending = null;
            pass(catchUp);
            pass(buffered);
            return true;
        }

        synchronized void offer(List<ChatEvent> batch) {
            if (gone) {
                return;
            }
            if (sink == null) {
                if (pending.size() + batch.size() > maxPending) {
                    leave(); // memory stays bounded; goLive says so, and the client resumes from its cursor
                    return;
                }
                pending.addAll(batch);
                return;
            }
            pass(batch);
        }

        /**
         * Unregisters: nothing more is buffered or passed on (a batch being passed on at this moment may still
         * reach the sink). Not under this subscriber's lock: Undertow calls it from an exchange-complete listener
         * while it holds the event stream's lock, and the reader, under this lock, waits for that one to send —
         * taking both in opposite orders would deadlock.
         */
        void leave() {
            gone = true;
            subscribers.remove(this);
        }

        private void pass(List<ChatEvent> events) {
            List<ChatEvent> newer = new ArrayList<>();
            for (ChatEvent event : events) {
                StreamId id = event.streamId();
                if (id.isAfter(cursor)) {
                    newer.add(event);
                    cursor = id;
                }
            }
            if (!newer.isEmpty()) {
                sink.accept(newer);
            }
        }
    }
}

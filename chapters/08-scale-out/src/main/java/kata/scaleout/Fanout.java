package kata.scaleout;

import java.util.List;
import java.util.function.Consumer;

/**
 * This node's clients that wait for news: held long polls and open event streams. The stream reader hands
 * every batch it reads from Redis to {@link #deliver}, and each subscriber passes on what is newer than its
 * own cursor — so a client sees every message once, in the stream's order, whichever node it talks to.
 *
 * <p>Yours to write (README.md §4). Many threads at once: the reader thread, I/O threads, Lettuce's threads.
 * This shape is a suggestion; change it if yours is better.
 */
final class Fanout {
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
        throw new UnsupportedOperationException("TODO README.md §4: register a subscriber");
    }

    /**
     * How many subscribers are registered: held long polls, open event streams, and those still catching up. A
     * client that was answered, told to reload, dropped or went away is no longer counted.
     */
    int size() {
        throw new UnsupportedOperationException("TODO README.md §4: count the registered subscribers");
    }

    /** Called by the stream reader with each new batch, oldest first. */
    void deliver(List<ChatEvent> batch) {
        throw new UnsupportedOperationException("TODO README.md §4: hand the batch to every subscriber");
    }

    final class Subscriber {
        /**
         * Ends the catch-up: passes on what the catch-up read found, then what arrived meanwhile, each only
         * if newer than what was passed on before; from then on every delivered batch goes straight to
         * {@code sink}.
         *
         * @return false when the subscriber was dropped while it caught up (it buffered more than
         *         {@code maxPending}, or it left): the client must resume from its cursor
         */
        boolean goLive(List<ChatEvent> catchUp, Consumer<List<ChatEvent>> sink) {
            throw new UnsupportedOperationException("TODO README.md §4");
        }

        void offer(List<ChatEvent> batch) {
            throw new UnsupportedOperationException("TODO README.md §4");
        }

        /**
         * Unregisters: nothing more is buffered or passed on. Mind the locks: Undertow may call your
         * exchange-complete listener (which leaves) while it holds an event stream's lock.
         */
        void leave() {
            throw new UnsupportedOperationException("TODO README.md §4");
        }
    }
}

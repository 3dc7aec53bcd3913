package kata.scaleout;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import kata.harness.Eventually;

/**
 * Node B's way to Redis in the tests: a TCP forwarder that can hold node B's commands back until the test lets
 * them go — what a slow network would do, but until an event instead of for a time.
 *
 * <p>While the gate is {@linkplain #hold() held}, every command node B sends waits here, in its order, except a
 * blocking {@code XREAD … BLOCK …}: node B's reader keeps following the stream and delivers what it reads. So a
 * test can open a stream on node B, see its catch-up read wait ({@link #awaitWaiting}), write to Redis, see node B's
 * reader ask again from after what was written ({@link #awaitReaderAfter}: it has handed that batch to its
 * subscribers), and only then {@linkplain #release() let the catch-up go}. The hold lasts only that long: well
 * within the node's 2 s command timeout. Or it can {@linkplain #holdReplies() hold Redis's replies} instead: the
 * catch-up read is done at Redis at once, and node B learns what it found only on {@linkplain #release() release}.
 */
final class RedisGate implements AutoCloseable {
    private final IntSupplier redisPort;
    private final ServerSocket listening;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<String> waiting = Collections.synchronizedList(new ArrayList<>());
    private final List<String> readerAsked = Collections.synchronizedList(new ArrayList<>());
    private boolean held;
    private boolean repliesHeld;

    /** Listens on a free port of its own and forwards each connection to Redis on {@code redisPort} (asked anew each time). */
    RedisGate(IntSupplier redisPort) {
        this.redisPort = redisPort;
        try {
            this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("the test's Redis gate cannot listen", e);
        }
        Thread accepting = new Thread(this::accept, "test-redis-gate");
        accepting.setDaemon(true);
        accepting.start();
    }

    String uri() {
        return "redis://127.0.0.1:" + listening.getLocalPort();
    }

    /** From now on node B's commands wait here, blocking stream reads excepted, until {@link #release()}. */
    synchronized void hold() {
        held = true;
        waiting.clear();
    }

    /**
     * From now on Redis's replies to node B wait here, those to its blocking stream reads excepted, until {@link
     * #release()}: a command node B sends is done at Redis at once, but node B learns its result only later.
     */
    synchronized void holdReplies() {
        repliesHeld = true;
    }

    /**
     * Sends every waiting command on, each on its own connection in its order, then every waiting reply back, and lets
     * the next ones through.
     */
    synchronized void release() {
        held = false;
        repliesHeld = false;
        for (Link link : links) {
            link.sendWaiting();
            link.replyWaiting();
        }
    }

    /**
     * Waits until a reply from Redis to node B waits at the gate, or until {@code answered} says the request was
     * answered without one (then it fails: it did not read its catch-up from Redis).
     */
    void awaitReplyWaiting(String what, BooleanSupplier answered, Supplier<String> seen) {
        Eventually.until(what, () -> replyWaiting() || answered.getAsBoolean(), seen);
        if (!replyWaiting()) {
            throw new AssertionError(what + " — but it was answered without waiting for Redis: " + seen.get());
        }
    }

    private synchronized boolean replyWaiting() {
        return links.stream().anyMatch(link -> link.repliesWaiting.size() > 0);
    }

    /**
     * Waits until the commands of {@code requests} requests wait at the gate, or until {@code answered} says they
     * were answered without them (then it fails: they did not read their catch-up from Redis). A request's catch-up
     * starts with the same command whichever request it is ({@code XRANGE} in the solution), so that command waits
     * {@code requests} times.
     */
    void awaitWaiting(int requests, String what, BooleanSupplier answered, Supplier<String> seen) {
        Eventually.until(what, () -> waiting(requests) || answered.getAsBoolean(),
                () -> seen.get() + "; waiting at the gate: " + waitingCommands());
        if (!waiting(requests)) {
            throw new AssertionError(what + " — but it was answered without waiting for Redis: " + seen.get());
        }
    }

    private boolean waiting(int requests) {
        List<String> now = waitingCommands();
        return !now.isEmpty() && Collections.frequency(now, now.get(0)) >= requests;
    }

    /**
     * Waits until node B's reader asks Redis for what comes after {@code id} (or later): it asks again only once it has
     * handed what it read before to the node's subscribers.
     */
    void awaitReaderAfter(String id, String what) {
        StreamId written = StreamId.parse(id);
        Eventually.until(what, () -> readerAskedAfter(written), () -> "node B's reader asked from " + readerAskedFrom());
    }

    private boolean readerAskedAfter(StreamId written) {
        synchronized (readerAsked) {
            for (String from : readerAsked) {
                try {
                    if (!written.isAfter(StreamId.parse(from))) {
                        return true;
                    }
                } catch (RuntimeException notAnId) {
                    // "$" (from now) or "0": not after a written id
                }
            }
            return false;
        }
    }

    private List<String> readerAskedFrom() {
        synchronized (readerAsked) {
            return new ArrayList<>(readerAsked);
        }
    }

    private List<String> waitingCommands() {
        synchronized (waiting) {
            return new ArrayList<>(waiting);
        }
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket node = listening.accept();
                try {
                    Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort.getAsInt());
                    // The gate writes each command on its own: with Nagle's algorithm on, the second of a pipelined
                    // few (a connection's HELLO, CLIENT SETINFO...) waited for Redis's delayed ACK, 40 ms.
                    node.setTcpNoDelay(true);
                    redis.setTcpNoDelay(true);
                    new Link(node, redis).start();
                } catch (IOException | RuntimeException redisAway) {
                    node.close(); // as if Redis refused: the node's client reconnects later
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
        for (Link link : links) {
            link.close();
        }
    }

    /** One connection of node B's: its commands go to Redis through the gate, Redis's replies come straight back. */
    private final class Link {
        private final Socket node;
        private final Socket redis;
        private final List<byte[]> queued = new ArrayList<>();
        /** Replies Redis sent while replies were held; guarded by the gate. */
        private final ByteArrayOutputStream repliesWaiting = new ByteArrayOutputStream();
        /** Whether node B uses this connection for its blocking stream reads; guarded by the gate. */
        private boolean reader;

        Link(Socket node, Socket redis) {
            this.node = node;
            this.redis = redis;
        }

        void start() {
            links.add(this);
            Thread commands = new Thread(this::forwardCommands, "test-redis-gate-commands");
            Thread replies = new Thread(this::forwardReplies, "test-redis-gate-replies");
            commands.setDaemon(true);
            replies.setDaemon(true);
            commands.start();
            replies.start();
        }

        private void forwardCommands() {
            try (InputStream in = new BufferedInputStream(node.getInputStream())) {
                while (true) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    List<String> command = readCommand(in, raw);
                    String name = command.isEmpty() ? "" : command.get(0).toUpperCase();
                    boolean blockingRead = name.equals("XREAD") && command.stream().anyMatch("BLOCK"::equalsIgnoreCase);
                    if (blockingRead) {
                        readerAsked.add(command.get(command.size() - 1)); // XREAD … STREAMS chat:messages <id>
                    }
                    synchronized (RedisGate.this) {
                        reader |= blockingRead;
                        if ((held && !blockingRead) || !queued.isEmpty()) {
                            queued.add(raw.toByteArray());
                            waiting.add(name);
                        } else {
                            send(raw.toByteArray());
                        }
                    }
                }
            } catch (IOException ended) {
                close();
            }
        }

        /** Called under the gate's lock. */
        void sendWaiting() {
            try {
                for (byte[] command : queued) {
                    send(command);
                }
            } catch (IOException broken) {
                close();
            }
            queued.clear();
        }

        private void send(byte[] command) throws IOException {
            OutputStream out = redis.getOutputStream();
            out.write(command);
            out.flush();
        }

        private void forwardReplies() {
            try (InputStream in = redis.getInputStream(); OutputStream out = node.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (RedisGate.this) {
                        if ((repliesHeld && !reader) || repliesWaiting.size() > 0) {
                            repliesWaiting.write(buffer, 0, n);
                        } else {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                }
            } catch (IOException ended) {
                // either side went away
            }
            close();
        }

        /** Called under the gate's lock. */
        void replyWaiting() {
            try {
                OutputStream out = node.getOutputStream();
                repliesWaiting.writeTo(out);
                out.flush();
            } catch (IOException broken) {
                close();
            }
            repliesWaiting.reset();
        }

        void close() {
            links.remove(this);
            try {
                node.close();
            } catch (IOException ignored) {
                // closing both is all that is left to do
            }
            try {
                redis.close();
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    /** One command as clients send it, an array of bulk strings ({@code *2 $4 XLEN $4 chat}); its bytes go to {@code raw}. */
    private static List<String> readCommand(InputStream in, ByteArrayOutputStream raw) throws IOException {
        String head = readLine(in, raw);
        if (!head.startsWith("*")) {
            return List.of(head.trim().split("\\s+")); // the inline form, as a person types it
        }
        int count = Integer.parseInt(head.substring(1));
        List<String> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(readLine(in, raw).substring(1));
            byte[] bulk = in.readNBytes(length + 2); // the string and its \r\n
            if (bulk.length < length + 2) {
                throw new EOFException();
            }
            raw.write(bulk);
            parts.add(new String(bulk, 0, length, StandardCharsets.UTF_8));
        }
        return parts;
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            raw.write(c);
            if (c == '\n') {
                return line.toString().strip();
            }
            line.append((char) c);
        }
    }
}

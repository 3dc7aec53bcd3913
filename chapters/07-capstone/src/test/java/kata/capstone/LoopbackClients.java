package kata.capstone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's clients: N readers and one sender, all raw sockets on one selector, one thread — so that
 * the client side costs little and every byte on the wire is seen and counted (the TCP payload both ways:
 * request and response lines, headers, bodies, frames; not the TCP/IP headers under them).
 *
 * <p>The readers behave as the chapters' pages do: a poller asks {@code GET /messages?since=N} and waits its
 * interval after each answer, a long poller asks again at once, an SSE reader keeps one stream, a WebSocket
 * reader one socket. Every request carries the headers a browser sends ({@link #BROWSER_HEADERS}), since they
 * are a good part of what polling costs. The sender posts M messages at the given rate; its traffic is the
 * same for every transport and is not counted.
 */
final class LoopbackClients implements AutoCloseable {
    /** Roughly what Chromium sends with a fetch from a page: the cost of a request is mostly this. */
    static final String BROWSER_HEADERS = "Host: 127.0.0.1\r\n"
            + "Connection: keep-alive\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Accept: */*\r\n"
            + "Referer: http://127.0.0.1/?name=Reader\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n";

    /** What the readers measured. Latencies in nanoseconds, sorted. */
    record Result(long requests, long bytes, long[] latencies, long delivered, long expected, long duplicates) {
    }

    /** A server answered 501: the chapter is still its stub. */
    static final class StubFound extends RuntimeException {
        StubFound(String what) {
            super(what);
        }
    }

    private static final Pattern TOKEN = Pattern.compile("#(\\d+)#");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private final Transport transport;
    private final int readPort;
    private final int postPort;
    private final int clients;
    private final int messages;
    private final double rate;
    private final Selector selector;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Random random = new Random(7);

    private final Reader[] readers;
    private final BitSet[] got;
    private final long[] sentAt;
    private final long[] latencies;
    private long delivered;
    private long duplicates;
    private long requests;
    private long bytes;
    private int ready;
    private boolean going;
    private Sender sender;

    LoopbackClients(Transport transport, int readPort, int postPort, int clients, int messages, double rate) throws IOException {
        this.transport = transport;
        this.readPort = readPort;
        this.postPort = postPort;
        this.clients = clients;
        this.messages = messages;
        this.rate = rate;
        this.selector = Selector.open();
        this.readers = new Reader[clients];
        this.got = new BitSet[clients];
        this.sentAt = new long[messages];
        this.latencies = new long[clients * messages];
    }

    /** Opens every reader (SSE and WebSocket readers also get their 200 or 101) and the sender. */
    void connect(Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        int opened = 0;
        while (ready < clients || !senderReady) {
            while (opened < clients && opened - ready < 200) { // a few at a time: the server's backlog is finite
                got[opened] = new BitSet(messages);
                readers[opened] = reader(opened);
                opened++;
            }
            if (sender == null) {
                sender = transport.receive() == Transport.Receive.WEBSOCKET ? new WebSocketSender() : new PostSender();
            }
            step(end, "connecting " + clients + " readers (" + ready + " ready)");
        }
    }

    /** The scenario: M messages at the rate, until every reader has every one, or the drain time is over. */
    Result run() throws IOException {
        going = true;
        long start = System.nanoTime();
        for (Reader reader : readers) {
            reader.go();
        }
        long gap = (long) (1e9 / rate);
        for (int k = 0; k < messages; k++) {
            int seq = k;
            at(start + k * gap, () -> sender.post(seq));
        }
        long drain = Math.max(Duration.ofSeconds(5).toNanos(), 3 * transport.interval().toNanos());
        long end = start + (messages - 1) * gap + drain;
        long expected = (long) clients * messages;
        while (delivered < expected && System.nanoTime() - end < 0) {
            step(end + Duration.ofSeconds(1).toNanos(), "delivering");
        }
        long[] sorted = Arrays.copyOf(latencies, (int) delivered);
        Arrays.sort(sorted);
        return new Result(requests, bytes, sorted, delivered, expected, duplicates);
    }

    private Reader reader(int index) throws IOException {
        return switch (transport.receive()) {
            case POLL -> new Poller(index, "/messages?since=", transport.interval());
            case LONG_POLL -> new Poller(index, "/messages?since=", Duration.ZERO);
            case JSONP -> new Poller(index, "/jsonp?cb=chat.receive&since=", transport.interval());
            case SSE -> new StreamReader(index, "/events");
            case WEBSOCKET -> new WebSocketReader(index);
            case NCHAN_LONG_POLL -> new NchanPoller(index);
            case NCHAN_SSE -> new StreamReader(index, "/sub");
            case NCHAN_WEBSOCKET -> new WebSocketReader(index);
        };
    }

    // ---- the loop -----------------------------------------------------------------------------------------

    private record Timer(long at, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(at, other.at);
        }
    }

    private void at(long nanoTime, Runnable action) {
        timers.add(new Timer(nanoTime, action));
    }

    private void step(long deadline, String doing) throws IOException {
        long now = System.nanoTime();
        if (now - deadline > 0) {
            throw new IllegalStateException(transport.name() + ": still " + doing + " at the deadline");
        }
        while (!timers.isEmpty() && timers.peek().at() - now <= 0) {
            timers.poll().action().run();
        }
        long wait = timers.isEmpty() ? 50 : Math.max(1, Math.min(50, (timers.peek().at() - now) / 1_000_000));
        selector.select(wait);
        for (SelectionKey key : selector.selectedKeys()) {
            Connection connection = (Connection) key.attachment();
            if (!key.isValid()) {
                continue;
            }
            if (key.isConnectable()) {
                connection.finishConnect();
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush();
            }
            if (key.isValid() && key.isReadable()) {
                connection.read();
            }
        }
        selector.selectedKeys().clear();
    }

    private void deliver(int reader, String text, long now) {
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            int seq = Integer.parseInt(token.group(1));
            if (seq >= messages) {
                continue;
            }
            if (got[reader].get(seq)) {
                duplicates++;
            } else {
                got[reader].set(seq);
                latencies[(int) delivered++] = now - sentAt[seq];
            }
        }
    }

    static String messageText(int seq) {
        return "bench message #" + seq + "# of the capstone's chat";
    }

    // ---- connections --------------------------------------------------------------------------------------

    /** One socket: queued writes, an input buffer, counting when it is a reader's. */
    private abstract class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final boolean counted;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        byte[] in = new byte[8192];
        int inLength;
        /** The head of the last whole response {@link #response} read. */
        String head;

        Connection(int port, boolean counted) throws IOException {
            this.counted = counted;
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        }

        void finishConnect() throws IOException {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            connected();
        }

        abstract void connected();

        abstract void received() throws IOException;

        void send(String text) {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] data) {
            if (counted) {
                bytes += data.length;
            }
            out.add(ByteBuffer.wrap(data));
            try {
                flush();
            } catch (IOException e) {
                throw new IllegalStateException(transport.name() + ": a write failed: " + e.getMessage(), e);
            }
        }

        void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        void read() throws IOException {
            if (in.length - inLength < 4096) {
                in = Arrays.copyOf(in, in.length * 2);
            }
            int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
            if (n < 0) {
                throw new IllegalStateException(transport.name() + ": the server closed a connection ("
                        + getClass().getSimpleName() + ")");
            }
            if (counted) {
                bytes += n;
            }
            inLength += n;
            received();
        }

        void consume(int n) {
            System.arraycopy(in, n, in, 0, inLength - n);
            inLength -= n;
        }

        /** The end of the response head (after the blank line), or -1 while it is incomplete. */
        int headEnd() {
            for (int i = 3; i < inLength; i++) {
                if (in[i] == '\n' && in[i - 1] == '\r' && in[i - 2] == '\n' && in[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        int status(String head, String what) {
            int status = Integer.parseInt(head.substring(9, 12));
            if (status == 501) {
                throw new StubFound(what + " answered 501 Not Implemented");
            }
            return status;
        }

        /** A whole response with a Content-Length or chunked body, consumed; null while incomplete. */
        String response(String what) {
            int headEnd = headEnd();
            if (headEnd < 0) {
                return null;
            }
            String head = new String(in, 0, headEnd, StandardCharsets.ISO_8859_1);
            String lower = head.toLowerCase(java.util.Locale.ROOT);
            int status = status(head, what);
            String body;
            int used;
            int length = lower.indexOf("\r\ncontent-length:");
            if (length >= 0) {
                int n = Integer.parseInt(lower.substring(length + 17, lower.indexOf('\r', length + 2)).strip());
                if (inLength < headEnd + n) {
                    return null;
                }
                body = new String(in, headEnd, n, StandardCharsets.UTF_8);
                used = headEnd + n;
            } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                StringBuilder chunks = new StringBuilder();
                int at = headEnd;
                while (true) {
                    int lineEnd = indexOfCrLf(at);
                    if (lineEnd < 0) {
                        return null;
                    }
                    int size = Integer.parseInt(new String(in, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
                    if (inLength < lineEnd + 2 + size + 2) {
                        return null;
                    }
                    chunks.append(new String(in, lineEnd + 2, size, StandardCharsets.UTF_8));
                    at = lineEnd + 2 + size + 2;
                    if (size == 0) {
                        break;
                    }
                }
                body = chunks.toString();
                used = at;
            } else {
                throw new IllegalStateException(what + ": a response without Content-Length or chunks");
            }
            if (status / 100 != 2) { // nchan's /pub answers 201 or 202
                throw new IllegalStateException(what + " answered " + status + ": " + body.strip());
            }
            consume(used);
            this.head = head;
            return body;
        }

        private int indexOfCrLf(int from) {
            for (int i = from + 1; i < inLength; i++) {
                if (in[i] == '\n' && in[i - 1] == '\r') {
                    return i - 1;
                }
            }
            return -1;
        }
    }

    private abstract class Reader extends Connection {
        final int index;

        Reader(int index, int port, boolean counted) throws IOException {
            super(port, counted);
            this.index = index;
        }

        /** The scenario starts: a poller starts polling; a stream is already open. */
        void go() {
        }
    }

    /** Polling, long polling and JSONP polling: ask, read the answer, wait the interval, ask again. */
    private final class Poller extends Reader {
        private final String path;
        private final Duration interval;
        private long since;

        Poller(int index, String path, Duration interval) throws IOException {
            super(index, readPort, true);
            this.path = path;
            this.interval = interval;
        }

        @Override
        void connected() {
            ready++;
        }

        @Override
        void go() {
            // Pages are not in step: each starts at its own moment within the interval.
            long offset = interval.isZero() ? 0 : (long) (random.nextDouble() * interval.toNanos());
            at(System.nanoTime() + offset, this::poll);
        }

        private void poll() {
            requests++;
            send("GET " + path + since + " HTTP/1.1\r\n" + BROWSER_HEADERS + "\r\n");
        }

        @Override
        void received() {
            String body = response("GET " + path + since);
            if (body == null) {
                return;
            }
            long now = System.nanoTime();
            Matcher id = ID.matcher(body);
            while (id.find()) {
                since = Math.max(since, Long.parseLong(id.group(1)));
            }
            deliver(index, body, now);
            if (interval.isZero()) {
                poll();
            } else {
                at(now + interval.toNanos(), this::poll);
            }
        }
    }

    /**
     * nchan's long poll: {@code GET /sub}, held until the next message, which is the whole body. The cursor is the
     * answer's {@code Last-Modified} and {@code Etag}, sent back as {@code If-Modified-Since} and {@code If-None-Match}.
     */
    private final class NchanPoller extends Reader {
        private String cursor = "";

        NchanPoller(int index) throws IOException {
            super(index, readPort, true);
        }

        @Override
        void connected() {
            ready++;
        }

        @Override
        void go() {
            poll();
        }

        private void poll() {
            requests++;
            send("GET /sub HTTP/1.1\r\n" + BROWSER_HEADERS + cursor + "\r\n");
        }

        @Override
        void received() {
            String body = response("GET /sub");
            if (body == null) {
                return;
            }
            deliver(index, body, System.nanoTime());
            cursor = "If-Modified-Since: " + header("last-modified") + "\r\nIf-None-Match: " + header("etag") + "\r\n";
            poll();
        }

        private String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            throw new IllegalStateException("nchan's long poll answered without " + name + ": " + head.strip());
        }
    }

    /** One event stream; every complete line that is data is looked at. */
    private final class StreamReader extends Reader {
        private final String path;
        private boolean open;

        StreamReader(int index, String path) throws IOException {
            super(index, readPort, true);
            this.path = path;
        }

        @Override
        void connected() {
            requests++;
            send("GET " + path + " HTTP/1.1\r\n" + BROWSER_HEADERS.replace("Accept: */*", "Accept: text/event-stream")
                    + "Cache-Control: no-cache\r\n\r\n");
        }

        @Override
        void received() {
            if (!open) {
                int headEnd = headEnd();
                if (headEnd < 0) {
                    return;
                }
                int status = status(new String(in, 0, 12, StandardCharsets.ISO_8859_1), "GET " + path);
                if (status != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + status);
                }
                consume(headEnd);
                open = true;
                ready++;
            }
            int lastLine = inLength - 1;
            while (lastLine >= 0 && in[lastLine] != '\n') {
                lastLine--;
            }
            if (lastLine >= 0) {
                deliver(index, new String(in, 0, lastLine + 1, StandardCharsets.UTF_8), System.nanoTime());
                consume(lastLine + 1);
            }
        }
    }

    /** One WebSocket: the opening handshake, then frames (unmasked from the server, masked from us). */
    private class WebSocketReader extends Reader {
        private boolean open;
        private final String name;

        WebSocketReader(int index) throws IOException {
            this(index, "Reader" + index, true);
        }

        WebSocketReader(int index, String name, boolean counted) throws IOException {
            super(index, readPort, counted); // the sender's socket is not counted: its traffic is not the readers'
            this.name = name;
        }

        @Override
        void connected() {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            requests += counted ? 1 : 0;
            send("GET " + path() + " HTTP/1.1\r\n" + BROWSER_HEADERS.replace("Connection: keep-alive", "Connection: Upgrade")
                    + "Origin: http://127.0.0.1:" + readPort + "\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n");
        }

        @Override
        void received() throws IOException {
            if (!open) {
                int headEnd = headEnd();
                if (headEnd < 0) {
                    return;
                }
                int status = status(new String(in, 0, 12, StandardCharsets.ISO_8859_1), "GET " + path());
                if (status != 101) {
                    throw new IllegalStateException("GET " + path() + " answered " + status + " instead of 101: "
                            + new String(in, headEnd, inLength - headEnd, StandardCharsets.UTF_8).strip());
                }
                consume(headEnd);
                open = true;
                opened();
            }
            while (inLength >= 2) {
                int opcode = in[0] & 0x0f;
                int length = in[1] & 0x7f;
                int headerLength = 2;
                if (length == 126) {
                    if (inLength < 4) {
                        return;
                    }
                    length = ((in[2] & 0xff) << 8) | (in[3] & 0xff);
                    headerLength = 4;
                } else if (length == 127) {
                    if (inLength < 10) {
                        return;
                    }
                    length = (int) ByteBuffer.wrap(in, 2, 8).getLong();
                    headerLength = 10;
                }
                if (inLength < headerLength + length) {
                    return;
                }
                byte[] payload = Arrays.copyOfRange(in, headerLength, headerLength + length);
                consume(headerLength + length);
                switch (opcode) {
                    case 0x1 -> frame(new String(payload, StandardCharsets.UTF_8));
                    case 0x9 -> send(clientFrame(0xA, payload)); // ping → pong, or the server gives up on us
                    case 0x8 -> throw new IllegalStateException("the server closed a WebSocket");
                    default -> { }
                }
            }
        }

        void opened() {
            ready++;
        }

        void frame(String text) {
            deliver(index, text, System.nanoTime());
        }

        private String path() {
            return transport.peer() ? "/sub" : "/ws?name=" + name + "&since=0";
        }
    }

    /** A client frame: FIN, the opcode, the mask bit and a mask (every client frame is masked). */
    static byte[] clientFrame(int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        byte[] mask = {0x1b, 0x2c, 0x3d, 0x4e};
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        return Arrays.copyOf(frame.array(), frame.position());
    }

    // ---- the sender ---------------------------------------------------------------------------------------

    private interface Sender {
        void post(int seq);
    }

    /**
     * POST /messages (nchan: POST /pub), one at a time on one kept-alive connection; a message due while one is under
     * way waits.
     */
    private final class PostSender extends Connection implements Sender {
        private final ArrayDeque<Integer> due = new ArrayDeque<>();
        private boolean busy;

        PostSender() throws IOException {
            super(postPort, false);
        }

        @Override
        void connected() {
            senderReady = true;
        }

        @Override
        public void post(int seq) {
            due.add(seq);
            next();
        }

        private void next() {
            if (busy || due.isEmpty()) {
                return;
            }
            int seq = due.poll();
            busy = true;
            // nchan publishes its body as it is; the chapters' servers take the chat's JSON.
            byte[] body = (transport.peer() ? messageText(seq) : "{\"author\":\"Bench\",\"text\":\"" + messageText(seq) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            sentAt[seq] = System.nanoTime();
            send("POST " + path() + " HTTP/1.1\r\n" + BROWSER_HEADERS + "Content-Type: "
                    + (transport.peer() ? "text/plain" : "application/json") + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            send(body);
        }

        @Override
        void received() {
            if (response("POST " + path()) != null) {
                busy = false;
                next();
            }
        }

        private String path() {
            return transport.peer() ? "/pub" : "/messages";
        }
    }

    private boolean senderReady;

    /** Chapter 04 takes messages over the socket: a WebSocket of its own, whose frames are not counted. */
    private final class WebSocketSender extends WebSocketReader implements Sender {
        WebSocketSender() throws IOException {
            super(-1, "Bench", false);
        }

        @Override
        void opened() {
            senderReady = true;
        }

        @Override
        void frame(String text) {
            // the sender's own copy of every message: not a delivery to a reader
        }

        @Override
        public void post(int seq) {
            sentAt[seq] = System.nanoTime();
            send(clientFrame(0x1, ("{\"type\":\"message\",\"text\":\"" + messageText(seq) + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}

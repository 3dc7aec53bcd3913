package kata.launcher.room;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The workshop room: a small server on the leader's laptop that pairs report their runs to, and a board that
 * shows where every pair stands, live. The kata's lessons in production: chapter 03's resumable event stream
 * with heartbeats and bounded buffers, chapter 02's held polls as chapter 07's fallback, chapter 04's Origin
 * check, and chapter 01's rule that bad input gets a clear answer and changes nothing.
 *
 * <pre>
 * GET  /                 the board (board.html, board.js): readable from the back of the room
 * GET  /board/events     text/event-stream: hello, then the events after Last-Event-ID (or a snapshot), then live
 * GET  /board/poll?since=ID[&amp;wait=0]   the same as a long poll: {"hello": …, "events": […]}, held until news
 * POST /report           a participant's run (see {@link Incoming}), with the room code → 200 {"ok": true}
 * </pre>
 *
 * Refusals are JSON, {@code {"status": 403, "error": "…"}}: 400 a malformed or unbounded report, 403 a wrong
 * room code or a page of a foreign Origin, 404/405 no such route, 409 the room is full, 413 a report over
 * {@value #MAX_REPORT_BYTES} bytes, 415 not JSON, 429 too many reports (with {@code Retry-After}).
 */
public final class RoomServer implements AutoCloseable {
    /** A report is under 400 bytes; this leaves room for long names of tests and nothing else. */
    public static final int MAX_REPORT_BYTES = 2048;
    /** Room codes are read off a screen: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B. */
    /** What is read of a body before it is judged too big; more than this is refused unread. */
    static final int MAX_READ_BYTES = 64 * 1024;
    static final String CODE_ALPHABET = "ACDEFHJKMNPQRTVWXY3479";
    static final int SOCKET_SEND_BUFFER = 64 * 1024;
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");
    private static final int MAX_EVENT_ID = 80;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a room is started with.
     *
     * @param host            where it listens: all interfaces for a workshop, 127.0.0.1 for tests
     * @param port            0 picks a free one
     * @param chapters        the kata's chapters: a report names one of them, the board draws a bar for each
     * @param save            the file that keeps the room across restarts, or null for nothing on disk
     * @param stuckAfter      how long the same first failing test makes a participant "stuck"
     * @param stuckCheck      how often the room looks for who has become stuck
     * @param burst           reports a participant may send at once…
     * @param refill          …and then one per this
     */
    public record Options(String host, int port, List<String> chapters, Path save, Clock clock, Duration heartbeat,
            Duration retry, Duration hold, int history, int bufferBytes, Duration stuckAfter, Duration stuckCheck,
            int maxParticipants, int maxStreams, int burst, Duration refill) {

        /** 127.0.0.1 on a free port, nothing saved; a ping every 15 s, retry 2 s, stuck after 10 minutes, 60 participants. */
        public static Options defaults() {
            return new Options("127.0.0.1", 0, List.of(), null, Clock.systemDefaultZone(), Duration.ofSeconds(15),
                    Duration.ofSeconds(2), Duration.ofSeconds(25), 1000, 64 * 1024, Duration.ofMinutes(10),
                    Duration.ofSeconds(5), 60, 50, 10, Duration.ofSeconds(1));
        }

        public Options listeningOn(String host, int port) {
            return new Options(host, port, chapters, save, clock, heartbeat, retry, hold, history, bufferBytes,
                    stuckAfter, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }

        public Options withChapters(List<String> names) {
            return new Options(host, port, List.copyOf(names), save, clock, heartbeat, retry, hold, history, bufferBytes,
                    stuckAfter, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }

        public Options savedIn(Path file) {
            return new Options(host, port, chapters, file, clock, heartbeat, retry, hold, history, bufferBytes,
                    stuckAfter, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }

        public Options withClock(Clock time) {
            return new Options(host, port, chapters, save, time, heartbeat, retry, hold, history, bufferBytes,
                    stuckAfter, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }

        public Options withTimings(Duration heartbeatEvery, Duration retryAfter, Duration holdFor, Duration stuckCheckEvery) {
            return new Options(host, port, chapters, save, clock, heartbeatEvery, retryAfter, holdFor, history,
                    bufferBytes, stuckAfter, stuckCheckEvery, maxParticipants, maxStreams, burst, refill);
        }

        public Options withStuckAfter(Duration after) {
            return new Options(host, port, chapters, save, clock, heartbeat, retry, hold, history, bufferBytes,
                    after, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }

        public Options withLimits(int participants, int reportsAtOnce, Duration oneReportPer) {
            return new Options(host, port, chapters, save, clock, heartbeat, retry, hold, history, bufferBytes,
                    stuckAfter, stuckCheck, participants, maxStreams, reportsAtOnce, oneReportPer);
        }

        public Options withHistory(int events) {
            return new Options(host, port, chapters, save, clock, heartbeat, retry, hold, events, bufferBytes,
                    stuckAfter, stuckCheck, maxParticipants, maxStreams, burst, refill);
        }
    }

    private final Options options;
    private final String code;
    private final Board board;
    private final HeldPolls polls;
    private final TokenBuckets reports;
    private final TokenBuckets wrongCodes;
    private final ScheduledExecutorService chores;
    private final AtomicBoolean saveQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int restoredRows;
    private final Undertow undertow;

    private RoomServer(Options options) {
        this.options = options;
        SavedRoom saved = options.save() == null ? null : SavedRoom.load(options.save()).orElse(null);
        if (saved == null) {
            saved = new SavedRoom();
            saved.code = newCode();
            saved.generation = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        }
        this.code = saved.code;
        this.restoredRows = saved.participants.size();
        this.board = new Board(saved, options);
        this.polls = new HeldPolls(board, options.hold(), options.maxStreams());
        this.reports = new TokenBuckets(options.burst(), options.refill(), options.maxParticipants() * 2, options.clock());
        this.wrongCodes = new TokenBuckets(10, Duration.ofSeconds(10), 1000, options.clock());
        this.chores = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "room-chores");
            thread.setDaemon(true);
            return thread;
        });
        chores.scheduleWithFixedDelay(board::tick, options.stuckCheck().toMillis(), options.stuckCheck().toMillis(),
                TimeUnit.MILLISECONDS);
        if (options.save() != null) {
            board.onPublish(this::saveSoon);
        }
        this.undertow = Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setSocketOption(org.xnio.Options.SEND_BUFFER, SOCKET_SEND_BUFFER)
                // Bounded before any handler runs: headers, parameters, and how long a request may dribble in.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADERS, 60)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, 10)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) MAX_READ_BYTES)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setHandler(routes())
                .build();
    }

    /** Opens a room: the saved one when {@code options.save()} names an existing file, else a new one with a new code. */
    public static RoomServer open(Options options) {
        quietLogs();
        RoomServer room = new RoomServer(options);
        try {
            room.undertow.start();
        } catch (RuntimeException e) { // the port is taken, most likely: nothing of this room may linger
            room.chores.shutdownNow();
            throw e;
        }
        return room;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", page("board.html", "text/html; charset=utf-8"))
                .get("/board.js", page("board.js", "text/javascript; charset=utf-8"))
                .get("/board/events", refusing(this::events))
                .get("/board/poll", refusing(this::poll))
                .post("/report", refusing(this::report))
                .setFallbackHandler(exchange -> error(exchange, new Refusal(404, "no such route: " + exchange.getRequestPath())))
                .setInvalidMethodHandler(exchange -> error(exchange, new Refusal(405,
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath())));
    }

    /** A handler whose refusals become their JSON answers. */
    private static HttpHandler refusing(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handleRequest(exchange);
            } catch (Refusal refusal) {
                error(exchange, refusal);
            }
        };
    }

    // ---- the board's stream and its fallback ---------------------------------------------------------------

    /** Opens a stream and leaves it open; no thread waits on it (chapter 03 §2). */
    private void events(HttpServerExchange exchange) {
        checkOrigin(exchange);
        if (board.subscriberCount() >= options.maxStreams()) {
            throw new Refusal(429, "the room has " + options.maxStreams() + " boards open already", 5);
        }
        String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        String since = lastEventId != null ? lastEventId : parameter(exchange, "since");
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
        exchange.setPersistent(false);
        EventStream stream = new EventStream(exchange, options.bufferBytes(), board::remove);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            board.subscribe(stream, since);
            stream.startHeartbeat(options.heartbeat());
        });
    }

    /** The long poll of chapter 07's ladder: {@code ?since=} the last id the page saw; {@code wait=0} never held. */
    private void poll(HttpServerExchange exchange) {
        checkOrigin(exchange);
        polls.answerOrHold(exchange, parameter(exchange, "since"), !"0".equals(parameter(exchange, "wait")));
    }

    private static String parameter(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        String value = values == null || values.isEmpty() ? null : values.getFirst();
        if (value != null && value.length() > MAX_EVENT_ID) {
            throw new Refusal(400, "\"" + name + "\" is longer than " + MAX_EVENT_ID + " characters");
        }
        return value;
    }

    /**
     * A page of another origin may not read or write the room (chapter 04 §5, chapter 05). A browser sends
     * {@code Origin} on every cross-origin request and on every POST; a same-origin GET and the launcher send
     * none, so no Origin is no page of another site.
     */
    private static void checkOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) {
            return;
        }
        String own = exchange.getRequestScheme() + "://" + exchange.getHostAndPort();
        if (!origin.equalsIgnoreCase(own)) {
            String shown = origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
            throw new Refusal(403, "requests from pages of " + shown + " are refused: only the room's own board ("
                    + own + ") may ask");
        }
    }

    // ---- reports ---------------------------------------------------------------------------------------------

    private void report(HttpServerExchange exchange) {
        checkOrigin(exchange);
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Refusal(415, "send the report as Content-Type: application/json");
        }
        if (exchange.getRequestContentLength() > MAX_READ_BYTES) {
            throw new Refusal(413, "a report is at most " + MAX_REPORT_BYTES + " bytes");
        }
        // Read up to MAX_READ_BYTES, then judge: answering before the body is read would close a connection with
        // bytes unread, and the client would see a reset instead of the 413.
        exchange.setMaxEntitySize(MAX_READ_BYTES);
        exchange.getRequestReceiver().receiveFullBytes((received, bytes) -> {
            try {
                if (bytes.length > MAX_REPORT_BYTES) {
                    throw new Refusal(413, "a report is at most " + MAX_REPORT_BYTES + " bytes");
                }
                take(received, new String(bytes, StandardCharsets.UTF_8));
            } catch (Refusal refusal) {
                error(received, refusal);
            }
        }, (failed, e) -> error(failed, e instanceof RequestTooBigException
                ? new Refusal(413, "a report is at most " + MAX_REPORT_BYTES + " bytes")
                : new Refusal(400, "the report could not be read")));
    }

    private void take(HttpServerExchange exchange, String body) {
        Incoming incoming = Incoming.parse(body, options.chapters());
        if (!codeMatches(incoming.code())) {
            String address = exchange.getSourceAddress().getAddress().getHostAddress();
            long wait = wrongCodes.take(address);
            if (wait > 0) {
                throw new Refusal(429, "too many wrong room codes from " + address + "; try again later", wait);
            }
            throw new Refusal(403, "wrong room code: it is the code in the leader's join line");
        }
        long wait = reports.take(incoming.id());
        if (wait > 0) {
            throw new Refusal(429, "too many reports: " + options.burst() + " at once, then one every "
                    + seconds(options.refill()) + "; this run is not on the board, the next one will be", wait);
        }
        board.accept(incoming.id(), incoming.report());
        json(exchange, 200, "{\"ok\":true}");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Compared in constant time: how long the comparison takes says nothing of how much of a guess was right. */
    private boolean codeMatches(String given) {
        return MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8),
                given.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    static void json(HttpServerExchange exchange, int status, String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(json);
    }

    /** A refusal's body: {@code {"status": 403, "error": "wrong room code: …"}}. */
    private record Error(int status, String error) {
    }

    static void error(HttpServerExchange exchange, Refusal refusal) {
        if (exchange.isResponseStarted()) {
            return;
        }
        if (refusal.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
        json(exchange, refusal.status(), RoomJson.write(new Error(refusal.status(), refusal.getMessage())));
    }

    private static HttpHandler page(String name, String type) {
        byte[] bytes;
        try (InputStream in = RoomServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " next to " + RoomServer.class.getName());
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            exchange.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
            exchange.getResponseHeaders().put(new HttpString("Content-Security-Policy"),
                    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'");
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        };
    }

    // ---- saving ----------------------------------------------------------------------------------------------

    /** Writes the room soon, off the I/O threads; changes that come together are one write. */
    private void saveSoon() {
        if (saveQueued.compareAndSet(false, true)) {
            chores.execute(() -> {
                saveQueued.set(false);
                save();
            });
        }
    }

    private void save() {
        try {
            board.saved(code).write(options.save());
        } catch (UncheckedIOException e) {
            Logger.getLogger(RoomServer.class.getName()).warning("the room could not be saved to " + options.save()
                    + ": " + e.getMessage());
        }
    }

    // ---- the room ------------------------------------------------------------------------------------------

    /** The code participants join with, e.g. {@code K7QF}. */
    public String code() {
        return code;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** How many rows a saved room came back with (0 for a new room). */
    public int restoredRows() {
        return restoredRows;
    }

    public int subscriberCount() {
        return board.subscriberCount();
    }

    public int heldPolls() {
        return polls.count();
    }

    /** Cuts every board's stream, as a network failure would; they reconnect by themselves. */
    public int disconnectAll() {
        return board.disconnectAll();
    }

    /** How many events the board has published: every accepted report is one. */
    public long events() {
        return board.lastId();
    }

    List<Participant.Row> rows() {
        return board.rows();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        board.disconnectAll();
        undertow.stop();
        chores.shutdownNow();
        try {
            chores.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (options.save() != null) {
            save();
        }
    }

    /** A new room code: four characters that cannot be misread off a projector, e.g. {@code K7QF}. */
    static String newCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            code.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * An address of this machine that the others on the LAN can reach: the first of {@link #lanAddresses()},
     * else localhost.
     */
    public static String lanAddress() {
        List<String> all = lanAddresses();
        return all.isEmpty() ? "localhost" : all.get(0);
    }

    /**
     * This machine's IPv4 addresses on interfaces that are up, likeliest to be the room's LAN first: 192.168.x.y,
     * then 10.x.y.z, then 172.16–31.x.y, then any other; never loopback or link-local, and container and VM
     * bridges (docker0, br-…, veth…, virbr…) last.
     */
    public static List<String> lanAddresses() {
        List<String[]> found = new java.util.ArrayList<>(); // {rank, address}
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                boolean bridge = nic.getName().matches("(docker|br-|veth|virbr|vboxnet|vmnet|cni|flannel).*");
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        String text = address.getHostAddress();
                        int rank = text.startsWith("192.168.") ? 0 : text.startsWith("10.") ? 1
                                : address.isSiteLocalAddress() ? 2 : 3;
                        found.add(new String[] {String.valueOf(rank + (bridge ? 10 : 0)), text});
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to ask: this machine alone
        }
        found.sort(java.util.Comparator.comparingInt(entry -> Integer.parseInt(entry[0])));
        return found.stream().map(entry -> entry[1]).distinct().toList();
    }

    /** Undertow and XNIO log their versions at every start: a room's terminal shows the join line only. */
    private static void quietLogs() {
        System.setProperty("org.jboss.logging.provider", "jdk");
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.xnio"), Logger.getLogger("org.jboss.threads"),
            Logger.getLogger("io.undertow"));
}

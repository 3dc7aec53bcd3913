package kata.capstone;

import static io.undertow.Handlers.routing;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.ChatMessage;
import kata.chat.Json;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Chapter 07, the capstone: one chat, three ways to receive it, over one message log with ids. Given code,
 * complete in the stub and in the solution: the lesson is the page's client, {@code fallback.js}, which
 * tries the best transport and falls back to the next (README.md §4).
 *
 * <pre>
 * GET  /                          the chat page; GET /fallback.js its client (yours to write)
 * GET  /ws?since=N                WebSocket. Every text frame is a JSON array of messages: first the
 *                                 replay after N (maybe []: the server's hello), then one frame per message
 * GET  /events?since=N            text/event-stream. Every event's data is a JSON array of messages: first
 *                                 the replay after N (maybe []), then one event per message (with its id:)
 * GET  /messages?since=N&amp;wait=S   long poll: the messages after N at once, or held until one comes (at most
 *                                 S seconds, default and most {@link Options#hold()}; wait=0: never held)
 * POST /messages                  {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}, to every page
 * </pre>
 *
 * <p>The switches ({@link #refuseWebSockets()}, {@link #bufferEventStreams()}, {@link #cutConnections()}, …)
 * play the network between the pages and the server: a proxy that refuses the WebSocket upgrade, one that
 * buffers responses so a stream never arrives, a blip that cuts every open connection. The tests flip them
 * to break one transport at a time.
 */
public final class FallbackServer implements AutoCloseable {
    /** What a proxy on the way does to the WebSocket upgrade. */
    public enum WebSocketPath { PASS, REFUSE }

    /** What a proxy on the way does to an event stream. */
    public enum StreamPath { PASS, REFUSE, BUFFER }

    /**
     * What a server is started with.
     *
     * @param history   how many messages are kept for replay
     * @param hold      the longest a long poll is held before it is answered with []
     * @param heartbeat how often an idle event stream gets a comment, so no proxy thinks it dead
     */
    public record Options(int history, Duration hold, Duration heartbeat) {
        public static Options defaults() {
            return new Options(1000, Duration.ofSeconds(25), Duration.ofSeconds(15));
        }

        public Options withHold(Duration hold) {
            return new Options(history, hold, heartbeat);
        }
    }

    /** Frames or events queued for one page and not yet written; past this, the page is cut off (it comes back with its cursor). */
    static final int MAX_PENDING = 256;
    private static final int WIRE_KEPT = 200;
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    private final Options options;
    private final ChatLog log;
    private final Undertow undertow;

    private volatile WebSocketPath webSockets = WebSocketPath.PASS;
    private volatile StreamPath streams = StreamPath.PASS;
    private volatile boolean forgetCursors;
    private volatile boolean pollsRefused;

    private final Set<WebSocketChannel> openSockets = ConcurrentHashMap.newKeySet();
    private final Set<ServerSentEventConnection> openStreams = ConcurrentHashMap.newKeySet();
    private final Set<HttpServerExchange> heldStreams = ConcurrentHashMap.newKeySet();
    private final Set<HttpServerExchange> heldPolls = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pollsAnswered = new AtomicInteger();
    private final Deque<String> wire = new ArrayDeque<>(); // guarded by itself

    private FallbackServer(String host, int port, Options options) {
        this.options = options;
        this.log = new ChatLog(options.history());
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setHandler(routes())
                .build();
    }

    public static FallbackServer start(int port) {
        return start(port, Options.defaults());
    }

    /** Starts a server on 127.0.0.1; port 0 picks a free one (see {@link #port()}). */
    public static FallbackServer start(int port, Options options) {
        FallbackServer server = new FallbackServer("127.0.0.1", port, options);
        server.undertow.start();
        return server;
    }

    private HttpHandler routes() {
        HttpHandler upgrade = Handlers.websocket(this::webSocketOpened);
        ServerSentEventHandler stream = Handlers.serverSentEvents(this::streamOpened);
        return routing()
                .get("/", Pages.page(FallbackServer.class, "index.html"))
                .get("/fallback.js", Pages.page(FallbackServer.class, "fallback.js"))
                .get("/ws", exchange -> webSocket(exchange, upgrade))
                .get("/events", exchange -> events(exchange, stream))
                .get("/messages", this::longPoll)
                .post("/messages", this::postMessage)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    // ---- WebSocket -------------------------------------------------------------------------------------

    private void webSocket(HttpServerExchange exchange, HttpHandler upgrade) throws Exception {
        String target = target(exchange);
        try {
            Requests.cursor(exchange, "since", 0); // checked here, before the upgrade: a 400 is still possible
        } catch (BadRequest bad) {
            note(target + " → " + bad.status());
            Answer.error(exchange, bad);
            return;
        }
        if (!"websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.UPGRADE))) {
            note(target + " → 400 (not an upgrade)");
            Answer.error(exchange, 400, "this is a WebSocket endpoint: open it with new WebSocket(url)");
            return;
        }
        if (webSockets == WebSocketPath.REFUSE) {
            // What a proxy that does not pass upgrades answers: a plain HTTP error, no 101.
            note(target + " → 502 (upgrade refused on the way)");
            Answer.error(exchange, 502, "the proxy between you and the server does not pass WebSocket upgrades");
            return;
        }
        note(target + " → 101 (WebSocket)");
        upgrade.handleRequest(exchange);
    }

    private void webSocketOpened(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        long since = forgetCursors ? 0 : since(exchange.getRequestParameters().get("since"));
        openSockets.add(channel);
        AtomicInteger pending = new AtomicInteger();
        ChatLog.Listener listener = message -> sendFrame(channel, pending, List.of(message));
        channel.addCloseTask(closed -> {
            openSockets.remove(closed);
            log.leave(listener);
        });
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            // The page sends nothing over the socket (it posts); reading keeps pings, pongs and close frames flowing.
        });
        channel.resumeReceives();
        if (webSockets == WebSocketPath.REFUSE) { // refused between the handshake and now
            IoUtils.safeClose(channel);
            return;
        }
        log.join(since, listener, replay -> sendFrame(channel, pending, replay));
    }

    private static boolean sendFrame(WebSocketChannel channel, AtomicInteger pending, List<ChatMessage> batch) {
        if (!channel.isOpen()) {
            return false;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            IoUtils.safeClose(channel); // too far behind: it comes back with its cursor and catches up
            return false;
        }
        WebSockets.sendText(Json.write(batch), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel done, Void context) {
                pending.decrementAndGet();
            }

            @Override
            public void onError(WebSocketChannel failed, Void context, Throwable error) {
                IoUtils.safeClose(failed);
            }
        });
        return true;
    }

    // ---- Server-Sent Events ----------------------------------------------------------------------------

    private void events(HttpServerExchange exchange, ServerSentEventHandler stream) throws Exception {
        String target = target(exchange);
        try {
            Requests.cursor(exchange, "since", 0);
            String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
            if (lastEventId != null && !lastEventId.matches("\\d{1,18}")) {
                throw new BadRequest(400, "Last-Event-ID must be a message id, not \"" + lastEventId + "\"");
            }
        } catch (BadRequest bad) {
            note(target + " → " + bad.status());
            Answer.error(exchange, bad);
            return;
        }
        switch (streams) {
            case REFUSE -> {
                note(target + " → 502 (event stream refused on the way)");
                Answer.error(exchange, 502, "the proxy between you and the server does not pass event streams");
            }
            case BUFFER -> {
                note(target + " → 200 (event stream held by a buffering proxy: nothing arrives)");
                holdForever(exchange);
            }
            case PASS -> {
                note(target + " → 200 (event stream)");
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
                exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
                stream.handleRequest(exchange);
            }
        }
    }

    /** A buffering proxy: the headers arrive (so the browser's EventSource opens), the events never do. */
    private void holdForever(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.setPersistent(false);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            heldStreams.add(exchange);
            exchange.getConnection().addCloseListener(connection -> heldStreams.remove(exchange));
            try {
                exchange.getResponseChannel().flush();
            } catch (IOException gone) {
                IoUtils.safeClose(exchange.getConnection());
            }
            watchForHangUp(exchange);
        });
    }

    /**
     * Undertow does not read a connection while its request is being handled, so a page that closes its
     * EventSource would go unseen here until a write fails: read the connection, and the end of stream means
     * the page let go. (Nothing else may come on it: the answer is not persistent.)
     */
    private static void watchForHangUp(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection)) {
            return;
        }
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.setReadListener(channel -> {
            ByteBuffer bytes = ByteBuffer.allocate(256);
            int read;
            try {
                do {
                    bytes.clear();
                    read = channel.read(bytes);
                } while (read > 0);
            } catch (IOException e) {
                read = -1;
            }
            if (read == -1) {
                IoUtils.safeClose(connection);
            }
        });
        source.resumeReads();
    }

    private void streamOpened(ServerSentEventConnection connection, String lastEventId) {
        Deque<String> query = connection.getQueryParameters().get("since");
        long since = forgetCursors ? 0 : query != null ? since(List.copyOf(query)) : lastEventId == null ? 0 : Long.parseLong(lastEventId);
        openStreams.add(connection);
        connection.setKeepAliveTime(options.heartbeat().toMillis());
        AtomicInteger pending = new AtomicInteger();
        ChatLog.Listener listener = message -> sendEvent(connection, pending, List.of(message));
        connection.addCloseTask(closed -> {
            openStreams.remove(closed);
            log.leave(listener);
        });
        if (streams != StreamPath.PASS) {
            IoUtils.safeClose(connection);
            return;
        }
        log.join(since, listener, replay -> sendEvent(connection, pending, replay));
    }

    private static boolean sendEvent(ServerSentEventConnection connection, AtomicInteger pending, List<ChatMessage> batch) {
        if (!connection.isOpen()) {
            return false;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            IoUtils.safeClose(connection);
            return false;
        }
        String id = batch.isEmpty() ? null : String.valueOf(batch.get(batch.size() - 1).id());
        connection.send(Json.write(batch), null, id, new ServerSentEventConnection.EventCallback() {
            @Override
            public void done(ServerSentEventConnection done, String data, String event, String eventId) {
                pending.decrementAndGet();
            }

            @Override
            public void failed(ServerSentEventConnection failed, String data, String event, String eventId, IOException e) {
                IoUtils.safeClose(failed);
            }
        });
        return true;
    }

    // ---- Long polling ----------------------------------------------------------------------------------

    private void longPoll(HttpServerExchange exchange) {
        long asked;
        long waitMillis;
        try {
            asked = Requests.cursor(exchange, "since", 0);
            long wait = Requests.cursor(exchange, "wait", Long.MAX_VALUE);
            waitMillis = wait >= options.hold().toSeconds() ? options.hold().toMillis() : wait * 1000;
        } catch (BadRequest bad) {
            note(target(exchange) + " → " + bad.status());
            Answer.error(exchange, bad);
            return;
        }
        if (pollsRefused) {
            note(target(exchange) + " → 502 (the server is out of reach)");
            Answer.error(exchange, 502, "the server is out of reach");
            return;
        }
        note(target(exchange) + (waitMillis == 0 ? " → 200 (a poll, answered at once)" : " → 200 (a long poll, held until news)"));
        long since = forgetCursors ? 0 : asked;
        if (waitMillis == 0) {
            answerPoll(exchange, log.after(since));
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            AtomicBoolean answered = new AtomicBoolean();
            ChatLog.Listener poll = message -> {
                if (answered.compareAndSet(false, true)) {
                    exchange.getIoThread().execute(() -> answerPoll(exchange, List.of(message)));
                }
                return false; // a long poll carries one answer, then leaves
            };
            log.join(since, poll, replay -> {
                if (replay.isEmpty()) {
                    return true; // nothing yet: wait for the next message
                }
                answered.set(true);
                exchange.getIoThread().execute(() -> answerPoll(exchange, replay));
                return false;
            });
            if (answered.get()) {
                return;
            }
            heldPolls.add(exchange);
            var timeout = exchange.getIoThread().executeAfter(() -> {
                log.leave(poll);
                if (answered.compareAndSet(false, true)) {
                    answerPoll(exchange, List.of());
                }
            }, waitMillis, TimeUnit.MILLISECONDS);
            exchange.addExchangeCompleteListener((done, next) -> {
                heldPolls.remove(exchange);
                timeout.remove();
                log.leave(poll);
                next.proceed();
            });
        });
    }

    private void answerPoll(HttpServerExchange exchange, List<ChatMessage> messages) {
        pollsAnswered.incrementAndGet();
        Answer.json(exchange, messages);
    }

    // ---- Posting ---------------------------------------------------------------------------------------

    private void postMessage(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                Answer.json(received, post(NewMessage.parse(body)));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    /** Stores a message and sends it to every page, as {@code POST /messages} does. */
    public ChatMessage post(NewMessage message) {
        return log.append(message);
    }

    // ---- The switches the tests flip -------------------------------------------------------------------

    /** From now on every WebSocket upgrade gets 502, as from a proxy that does not pass them; open sockets are cut. */
    public void refuseWebSockets() {
        webSockets = WebSocketPath.REFUSE;
        openSockets.forEach(IoUtils::safeClose);
    }

    public void allowWebSockets() {
        webSockets = WebSocketPath.PASS;
    }

    /** From now on every event stream gets 502; open streams are cut. */
    public void refuseEventStreams() {
        streams = StreamPath.REFUSE;
        cutStreams();
    }

    /** From now on every event stream gets its headers and then nothing, as behind a buffering proxy; open streams are cut. */
    public void bufferEventStreams() {
        streams = StreamPath.BUFFER;
        cutStreams();
    }

    public void allowEventStreams() {
        streams = StreamPath.PASS;
    }

    /** Cuts every open WebSocket and event stream, as a network blip does; returns how many. */
    public int cutConnections() {
        int cut = openSockets.size() + openStreams.size() + heldStreams.size();
        openSockets.forEach(IoUtils::safeClose);
        cutStreams();
        return cut;
    }

    private void cutStreams() {
        openStreams.forEach(IoUtils::safeClose);
        heldStreams.forEach(held -> IoUtils.safeClose(held.getConnection()));
    }

    /** From now on every long poll gets 502: with the other two refused as well, the server is out of reach. */
    public void refusePolls() {
        pollsRefused = true;
    }

    public void allowPolls() {
        pollsRefused = false;
    }

    /** From now on every connection replays the whole history, whatever cursor it sends (as a server that lost its place). */
    public void forgetCursors() {
        forgetCursors = true;
    }

    // ---- What the server sees --------------------------------------------------------------------------

    public int openWebSockets() {
        return openSockets.size();
    }

    public int openEventStreams() {
        return openStreams.size();
    }

    /** Event streams held open behind the buffering proxy: pages whose EventSource opened and never got a hello. */
    public int heldEventStreams() {
        return heldStreams.size();
    }

    public int heldPolls() {
        return heldPolls.size();
    }

    public int pollsAnswered() {
        return pollsAnswered.get();
    }

    /** The requests for /ws, /events and GET /messages, oldest first: "GET /ws?since=0 → 101 (WebSocket)". */
    public List<String> wire() {
        synchronized (wire) {
            return new ArrayList<>(wire);
        }
    }

    private void note(String line) {
        synchronized (wire) {
            if (wire.size() == WIRE_KEPT) {
                wire.removeFirst();
            }
            wire.addLast(line);
        }
    }

    private static String target(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        return exchange.getRequestMethod() + " " + exchange.getRequestPath() + (query.isEmpty() ? "" : "?" + query);
    }

    private static long since(List<String> values) {
        return values == null || values.isEmpty() ? 0 : Long.parseLong(values.get(0)); // checked before the upgrade
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        cutConnections();
        // Undertow's stop leaves a held exchange's connection open: the page would wait out its own timeout.
        heldPolls.forEach(held -> IoUtils.safeClose(held.getConnection()));
        undertow.stop();
    }

    /**
     * The demo: {@code mvn -q -pl chapters/07-capstone compile exec:java}, then open two tabs. Break a
     * transport from the start to watch the page fall back:
     * {@code -Dexec.args="8080 refuse-websockets buffer-streams"}.
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        FallbackServer server = start(port);
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "refuse-websockets" -> server.refuseWebSockets();
                case "refuse-streams" -> server.refuseEventStreams();
                case "buffer-streams" -> server.bufferEventStreams();
                default -> throw new IllegalArgumentException("unknown switch " + args[i]
                        + ": refuse-websockets, refuse-streams or buffer-streams");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Chapter 07 (fallback) runs at http://localhost:" + server.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Ctrl+C stops it.");
    }
}

package kata.scaleout;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.Json;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;
import org.xnio.IoUtils;

/**
 * Chapter 08, scale-out: one node of a chat that runs on several. Nodes share nothing but Redis: a message
 * posted on any node goes into the Redis stream, every node follows the stream and delivers to its own
 * clients, and a client resumes on any node from the stream id it saw last.
 *
 * <pre>
 * GET  /                   the chat page (?name=Alice&amp;transport=longpoll|sse)
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": "1718000000000-0", ...}; 503 without Redis
 * GET  /messages?since=ID  long poll: the messages after stream id ID, held until there is one; 410 when ID
 *                          fell off the stream (reload); 503 without Redis
 * GET  /events?since=ID    Server-Sent Events from ID (or from Last-Event-ID), event ids = stream ids;
 *                          "reload" event when ID fell off the stream; 503 without Redis
 * </pre>
 */
public final class ChatNode implements AutoCloseable {
    /**
     * A page of messages: what a page that has seen nothing (cursor 0) gets first, the newest this many, and the most
     * a long poll answers at once (a page far behind catches up over a few polls).
     */
    static final int PAGE = 100;
    /** The most an event stream replays on connecting; a client further behind is told to reload. */
    static final int REPLAY_LIMIT = 1000;

    private final NodeConfig config;
    private final Broker broker;
    private final Fanout fanout;
    private final Undertow undertow;

    private ChatNode(String host, int port, NodeConfig config) {
        this.config = config;
        this.broker = new Broker(config.redisUri(), config.maxLength());
        this.fanout = new Fanout(config.maxPending());
        this.undertow = config.undertowBuilder()
                .addHttpListener(port, host)
                .setHandler(servedBy(config.name(), routes()))
                .build();
    }

    /** Every answer names the node that gave it (X-Served-By: A): for the balancer's log and your network panel. */
    private static HttpHandler servedBy(String name, HttpHandler next) {
        return exchange -> {
            exchange.getResponseHeaders().put(new io.undertow.util.HttpString(Balancer.SERVED_BY), name);
            next.handleRequest(exchange);
        };
    }

    /**
     * Starts a node on 127.0.0.1; port 0 picks a free one (see {@link #port()}). Fails, having let go of
     * whatever it opened, when Redis cannot be reached or the port is taken.
     */
    public static ChatNode start(int port, NodeConfig config) {
        ChatNode node = new ChatNode("127.0.0.1", port, config);
        try {
            node.undertow.start();
        } catch (RuntimeException e) {
            node.broker.close(); // the node will not run: its Redis connections must not stay open either
            throw new IllegalStateException("node " + config.name() + " cannot listen on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
        node.broker.startReading(node.fanout::deliver);
        return node;
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(ChatNode.class, "index.html"))
                .post("/messages", this::postMessage)
                .get("/messages", this::longPoll)
                .get("/events", this::eventStream)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    private void postMessage(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            NewMessage message;
            try {
                message = NewMessage.parse(body);
            } catch (BadRequest bad) {
                Answer.error(received, bad);
                return;
            }
            received.dispatch(SameThreadExecutor.INSTANCE, () -> broker.publish(message).whenComplete((stored, error) ->
                    onIoThread(received, () -> {
                        if (error != null) {
                            brokerUnavailable(received);
                        } else {
                            Answer.json(received, stored);
                        }
                    })));
        });
    }

    /** Long poll: register first, then read the catch-up; answer with whichever brings news first. */
    private void longPoll(HttpServerExchange exchange) {
        StreamId cursor;
        try {
            cursor = StreamId.cursor(exchange);
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
            return;
        }
        Fanout.Subscriber subscriber = fanout.subscribe(cursor);
        exchange.addExchangeCompleteListener((done, next) -> {
            subscriber.leave(); // answered (news, [], 410, 503) or the client went away: nothing stays behind
            next.proceed();
        });
        AtomicBoolean answered = new AtomicBoolean();
        Runnable answerEmpty = () -> {
            if (answered.compareAndSet(false, true)) {
                onIoThread(exchange, () -> Answer.json(exchange, List.of()));
            }
        };
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            exchange.getIoThread().executeAfter(answerEmpty, config.hold().toMillis(), TimeUnit.MILLISECONDS);
            broker.after(cursor, PAGE).whenComplete((catchUp, error) -> {
                if (error != null || catchUp.tooOld()) {
                    if (answered.compareAndSet(false, true)) {
                        onIoThread(exchange, () -> {
                            if (error != null) {
                                brokerUnavailable(exchange);
                            } else {
                                tooOld(exchange, cursor);
                            }
                        });
                    }
                    return;
                }
                boolean live = subscriber.goLive(catchUp.events(), events -> {
                    if (answered.compareAndSet(false, true)) {
                        onIoThread(exchange, () -> Answer.json(exchange, events));
                    }
                });
                if (!live && answered.compareAndSet(false, true)) {
                    // Dropped while it caught up (more arrived meanwhile than a subscriber may buffer): answer
                    // what Redis gave; the page asks again from there.
                    onIoThread(exchange, () -> Answer.json(exchange, catchUp.events()));
                }
            });
        });
    }

    /** Server-Sent Events: register, read the catch-up, then open the stream and send catch-up and news. */
    private void eventStream(HttpServerExchange exchange) {
        StreamId cursor;
        try {
            cursor = StreamId.cursor(exchange);
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
            return;
        }
        Fanout.Subscriber subscriber = fanout.subscribe(cursor);
        exchange.addExchangeCompleteListener((done, next) -> {
            subscriber.leave(); // refused, told to reload, dropped or closed: the stream's exchange ends either way
            next.proceed();
        });
        exchange.dispatch(SameThreadExecutor.INSTANCE, () ->
                broker.after(cursor, cursor.isZero() ? PAGE : REPLAY_LIMIT + 1).whenComplete((catchUp, error) -> onIoThread(exchange, () -> {
                    if (error != null) {
                        brokerUnavailable(exchange);
                        return;
                    }
                    // Further behind than we replay, or behind what the stream still keeps: start over.
                    boolean reload = catchUp.tooOld() || catchUp.events().size() > REPLAY_LIMIT;
                    openStream(exchange, (connection, lastEventId) -> {
                        connection.sendRetry(config.retry().toMillis());
                        if (reload) {
                            connection.send(tooOldReason(cursor), "reload", null, null);
                            connection.shutdown(); // ends the stream once the reload event is sent
                            return;
                        }
                        connection.setKeepAliveTime(config.keepAlive().toMillis());
                        AtomicInteger unsent = new AtomicInteger();
                        boolean live = subscriber.goLive(catchUp.events(), events -> {
                            for (ChatEvent event : events) {
                                if (unsent.incrementAndGet() > config.maxUnsent()) {
                                    // A client that does not read: drop it, at once. (shutdown() would end the
                                    // stream only once the client had read what is queued: one that never reads
                                    // would keep its connection and those events for ever.) It comes back with
                                    // Last-Event-ID and catches up from Redis. Memory here stays bounded.
                                    IoUtils.safeClose(connection);
                                    return;
                                }
                                connection.send(Json.write(event), null, event.id(), countDown(unsent));
                            }
                        });
                        if (!live) {
                            // Dropped while it caught up: end the stream; it reconnects from its cursor.
                            connection.shutdown();
                        }
                    });
                })));
    }

    private void openStream(HttpServerExchange exchange, io.undertow.server.handlers.sse.ServerSentEventConnectionCallback opened) {
        try {
            new ServerSentEventHandler(opened).handleRequest(exchange);
        } catch (Exception e) {
            exchange.endExchange();
        }
    }

    private static ServerSentEventConnection.EventCallback countDown(AtomicInteger unsent) {
        return new ServerSentEventConnection.EventCallback() {
            @Override
            public void done(ServerSentEventConnection connection, String data, String event, String id) {
                unsent.decrementAndGet();
            }

            @Override
            public void failed(ServerSentEventConnection connection, String data, String event, String id, IOException e) {
                // The connection is closed: nothing is sent on it again, so its count no longer matters.
            }
        };
    }

    private static void onIoThread(HttpServerExchange exchange, Runnable task) {
        exchange.getIoThread().execute(task);
    }

    private static void brokerUnavailable(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, "1");
        Answer.error(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                "the message broker (Redis) cannot be reached; nothing was lost, try again in a moment");
    }

    private static void tooOld(HttpServerExchange exchange, StreamId cursor) {
        Answer.error(exchange, StatusCodes.GONE, tooOldReason(cursor));
    }

    private static String tooOldReason(StreamId cursor) {
        return "messages after " + cursor + " are no longer kept: reload and start from since=0";
    }

    /** How many of this node's clients wait for news (held long polls, open event streams): for its monitoring. */
    int waiting() {
        return fanout.size();
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
        broker.close();
    }

    /** One node, for a quick look: {@code ChatNode 8081 redis://127.0.0.1:6379}. The two-node demo is {@link ScaleOutDemo}. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        String redis = args.length > 1 ? args[1] : "redis://127.0.0.1:6379";
        ChatNode node = start(port, NodeConfig.of("node", redis));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println("Chat node on http://localhost:" + node.port() + "/?name=Alice, Redis at " + redis);
    }
}

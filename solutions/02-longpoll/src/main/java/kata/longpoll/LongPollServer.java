package kata.longpoll;

import static io.undertow.Handlers.routing;

import io.undertow.Undertow;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import kata.chat.Answer;
import kata.chat.BadRequest;
import kata.chat.NewMessage;
import kata.chat.Pages;
import kata.chat.Requests;

/**
 * Chapter 02, long polling: the chat relay of chapter 01, but a poll that finds nothing new is
 * <em>held</em> until a message arrives or the hold times out.
 *
 * <pre>
 * GET  /                   the chat page
 * POST /messages           {"author": "Alice", "text": "hi"} → 200 {"id": 1, ...}, and every held poll wakes
 * GET  /messages?since=N   the messages with an id greater than N, oldest first — at once if there are
 *                          any; otherwise held until there are (then answered with them) or until the
 *                          hold times out (then answered with [])
 * </pre>
 */
public final class LongPollServer implements AutoCloseable {
    /** Under the 30 to 60 s after which proxies and load balancers tend to cut an idle request. */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(25);
    /** How many messages the server keeps; older ones are forgotten. */
    static final int HISTORY = 1000;

    private final MessageLog log = new MessageLog(HISTORY);
    private final HeldPolls held;
    private final Undertow undertow;

    private LongPollServer(Options options) {
        held = new HeldPolls(log, options.hold, options.maxHeld);
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(options.port, options.host)
                .setHandler(options.wrapper.wrap(routes()));
        builder.setIoThreads(options.ioThreads);
        builder.setWorkerThreads(options.workerThreads);
        undertow = builder.build();
    }

    /** Starts a server on 127.0.0.1 that holds polls for {@link #DEFAULT_HOLD}; port 0 picks a free port. */
    public static LongPollServer start(int port) {
        return options().port(port).start();
    }

    /** Starts a server on 127.0.0.1 that holds a poll for up to {@code hold}; port 0 picks a free port. */
    public static LongPollServer start(int port, Duration hold) {
        return options().port(port).hold(hold).start();
    }

    /** Everything else that can be set: {@code LongPollServer.options().hold(...).workerThreads(4).start()}. */
    public static Options options() {
        return new Options();
    }

    private HttpHandler routes() {
        return routing()
                .get("/", Pages.page(LongPollServer.class, "index.html"))
                .post("/messages", this::postMessage)
                .get("/messages", this::readMessages)
                .setFallbackHandler(Answer::notFound)
                .setInvalidMethodHandler(Answer::methodNotAllowed);
    }

    private void postMessage(HttpServerExchange exchange) {
        Requests.receiveJson(exchange, (received, body) -> {
            try {
                Answer.json(received, held.publish(NewMessage.parse(body)));
            } catch (BadRequest bad) {
                Answer.error(received, bad);
            }
        });
    }

    private void readMessages(HttpServerExchange exchange) {
        try {
            long since = Requests.cursor(exchange, "since", 0);
            long newest = log.lastId();
            if (since > newest) {
                // No message will ever have this id's predecessors arrive again: such a poll would be held
                // for nothing, hold after hold, while the page shows nothing.
                throw new BadRequest(StatusCodes.BAD_REQUEST, "\"since\" is " + since
                        + ", but the newest message is " + newest + ": a cursor from the future would wait forever");
            }
            held.answerOrHold(exchange, since);
        } catch (BadRequest bad) {
            Answer.error(exchange, bad);
        }
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** How many polls the server holds right now. */
    public int waitingCount() {
        return held.count();
    }

    @Override
    public void close() {
        undertow.stop();
    }

    /** How a server is started, for tests and benchmarks that need more than a port and a hold. */
    public static final class Options {
        private String host = "127.0.0.1";
        private int port;
        private Duration hold = DEFAULT_HOLD;
        private int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2); // Undertow's own default
        private int workerThreads = 16; // the server blocks nowhere; Undertow's own default on two cores
        private int maxHeld = 20_000;
        private HandlerWrapper wrapper = next -> next;

        private Options() {
        }

        /** 0 (the default) picks a free port. */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** How long a poll with nothing new is held before it is answered with []. */
        public Options hold(Duration hold) {
            if (hold.isNegative() || hold.isZero()) {
                throw new IllegalArgumentException("a hold must be longer than zero, not " + hold);
            }
            this.hold = hold;
            return this;
        }

        /** Undertow's I/O threads (default: one per core, at least two). */
        public Options ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** Undertow's worker pool, for blocking work (default 16). */
        public Options workerThreads(int threads) {
            this.workerThreads = threads;
            return this;
        }

        /** At most this many polls are held at once; one more is answered 503 (default 20,000). */
        public Options maxHeld(int polls) {
            this.maxHeld = polls;
            return this;
        }

        /** A handler in front of the server's own, as a test's outage or a proxy would be. */
        public Options wrappedBy(HandlerWrapper wrapper) {
            this.wrapper = Objects.requireNonNull(wrapper);
            return this;
        }

        public LongPollServer start() {
            LongPollServer server = new LongPollServer(this);
            server.undertow.start();
            return server;
        }
    }

    /** The demo: {@code mvn -q -pl chapters/02-longpoll compile exec:java}, then open two tabs. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        LongPollServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Chapter 02 (long polling) runs at http://localhost:" + server.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Ctrl+C stops it.");
    }
}

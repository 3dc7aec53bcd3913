package kata.harness.sse;

import kata.harness.Eventually;
import static io.undertow.Handlers.path;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server the test drives by hand: pages at {@code /<name>.html}, and {@code /events}, where every
 * connection becomes a {@link Stream} the test writes to, flushes and ends when it likes.
 */
final class StreamServer implements AutoCloseable {

    /** One event stream connection, as the server sees it. */
    static final class Stream {
        private static final String END = new String("end");

        final Map<String, String> requestHeaders;
        final long openedAtNanos = System.nanoTime();
        private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();

        Stream(Map<String, String> requestHeaders) {
            this.requestHeaders = requestHeaders;
        }

        /** The request header, or null. */
        String header(String name) {
            return requestHeaders.get(name.toLowerCase());
        }

        /** Writes and flushes {@code text}. */
        void send(String text) {
            outbox.add(text);
        }

        /** Ends the response, which ends the stream. */
        void end() {
            outbox.add(END);
        }
    }

    /** How the next connection to {@code /events} is answered, when not as an event stream. */
    record Refusal(int status, String contentType) {
    }

    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final BlockingQueue<Stream> connections = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;
    private final Undertow undertow;

    StreamServer() {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(path()
                        .addExactPath("/events", new EventsHandler())
                        .addPrefixPath("/", this::page))
                .build();
        undertow.start();
    }

    String url(String path) {
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    void page(String name, String html) {
        pages.put("/" + name, html);
    }

    void refuseNext(int status, String contentType) {
        refusals.add(new Refusal(status, contentType));
    }

    /** The next connection to {@code /events}, waiting for it up to the deadline. */
    Stream nextConnection() throws InterruptedException {
        Stream stream = connections.poll(Eventually.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (stream == null) {
            throw new AssertionError("no connection to /events within " + Eventually.DEADLINE.toMillis() + " ms");
        }
        return stream;
    }

    /** Connections to {@code /events} not yet taken with {@link #nextConnection()}. */
    int pendingConnections() {
        return connections.size();
    }

    private void page(HttpServerExchange exchange) {
        String html = pages.get(exchange.getRequestPath());
        if (html == null) {
            exchange.setStatusCode(404);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(html);
    }

    private final class EventsHandler implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws IOException {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            exchange.startBlocking();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach(values ->
                    headers.put(values.getHeaderName().toString().toLowerCase(), values.getFirst()));
            Refusal refusal = refusals.poll();
            if (refusal != null) {
                connections.add(new Stream(headers));
                exchange.setStatusCode(refusal.status());
                if (refusal.contentType() != null) {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, refusal.contentType());
                }
                if (refusal.status() != 204) {
                    exchange.getOutputStream().write("data: refused\n\n".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().put(new HttpString("Cache-Control"), "no-store");
            Stream stream = new Stream(headers);
            OutputStream out = exchange.getOutputStream();
            out.flush(); // the headers now: the client's fetch completes, the body stays open
            connections.add(stream);
            try {
                while (!stopped) {
                    String text = stream.outbox.poll(50, TimeUnit.MILLISECONDS);
                    if (text == Stream.END) {
                        return;
                    }
                    if (text != null) {
                        out.write(text.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the client closed the stream
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        undertow.stop();
    }
}

package kata.jsonp;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import kata.chat.Answer;

/**
 * The chat API as the browsers reach it in the outage test: a server of its own in front of the API's
 * routes, with a switch.
 * <ul>
 * <li>{@link #failing()}: every request gets {@code 503}; the script does not load, the page's
 *     {@code onerror} fires.</li>
 * <li>{@link #mute()}: every request gets {@code 200} and a script that does nothing; the script loads,
 *     but the callback is never called. Only the page's own timeout notices. (To a page this looks like a
 *     request that hangs: nothing happens. HtmlUnit loads a script while the page's timers wait, so a
 *     request that really hangs would stop the test's clock too; a script that never calls back does not.)</li>
 * <li>{@link #recover()}: requests reach the API again.</li>
 * </ul>
 */
final class Outage implements AutoCloseable {
    private enum State { UP, FAILING, MUTE }

    private final HttpHandler api;
    private final Undertow undertow;
    private volatile State state = State.UP;

    private Outage(HttpHandler api) {
        this.api = api;
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(this::handle)
                .build();
    }

    static Outage inFrontOf(ChatApi api) {
        Outage outage = new Outage(api.routes());
        outage.undertow.start();
        return outage;
    }

    private void handle(HttpServerExchange exchange) throws Exception {
        switch (state) {
            case UP -> api.handleRequest(exchange);
            case FAILING -> {
                Answer.error(exchange, 503, "the chat API is down for maintenance");
            }
            case MUTE -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/javascript; charset=utf-8");
                exchange.getResponseSender().send("/* the callback never comes */");
            }
        }
    }

    void failing() {
        state = State.FAILING;
    }

    void mute() {
        state = State.MUTE;
    }

    void recover() {
        state = State.UP;
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}

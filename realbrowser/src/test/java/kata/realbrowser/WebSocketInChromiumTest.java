package kata.realbrowser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import kata.harness.Served;
import kata.websocket.Settings;
import kata.websocket.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chapter 04's story in real Chromium: Alice and Bob chat both ways over one socket each; a page of another
 * origin, opened in Alice's browser, gets no socket — Chromium sends its Origin, and the server refuses it.
 */
class WebSocketInChromiumTest {
    /** Another origin on this machine (127.0.0.1, not localhost), whose page tries to open the chat's socket. */
    static final class ForeignSite implements AutoCloseable {
        final Undertow undertow;

        ForeignSite() {
            undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
                String target = exchange.getQueryParameters().get("target").getFirst();
                if (!target.matches("ws://localhost:\\d+/ws\\?name=\\w+")) {
                    exchange.setStatusCode(400);
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                exchange.getResponseSender().send("<!doctype html><body data-socket=connecting><ul id=stolen></ul><script>"
                        + "var s = new WebSocket('" + target + "');"
                        + "s.onopen = function () { document.body.dataset.socket = 'open'; };"
                        + "s.onmessage = function (e) { var li = document.createElement('li'); li.textContent = e.data;"
                        + " document.getElementById('stolen').appendChild(li); };"
                        + "s.onclose = function (e) { document.body.dataset.socket = 'closed ' + e.code; };"
                        + "</script>");
            }).build();
            undertow.start();
        }

        int port() {
            return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        }

        @Override
        public void close() {
            undertow.stop();
        }
    }

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(() -> WebSocketServer.start(0, Settings.defaults()),
            WebSocketServer::port);
    @RegisterExtension
    final Served<ForeignSite> foreign = Served.by(ForeignSite::new, ForeignSite::port).reachedAs("127.0.0.1");

    @Test
    void aliceAndBobChatBothWaysAndAForeignPageGetsNoSocket() {
        try (Chromium alice = new Chromium("Alice"); Chromium bob = new Chromium("Bob")) {
            alice.open(app.url("/?name=Alice"));
            bob.open(app.url("/?name=Bob"));
            alice.waitUntil("both sockets are open", () -> app.server().openSockets() == 2,
                    () -> app.server().openSockets() + " open sockets");

            alice.send("Hi Bob");
            bob.send("Hi Alice");
            alice.waitUntil("Alice sees both messages", () -> alice.messages().size() == 2, () -> alice.messages().toString());
            bob.waitForMessages(alice.messages().toArray(String[]::new)); // the same server order on both pages

            alice.open(foreign.url("/?target=ws://localhost:" + app.port() + "/ws?name=Alice"));
            alice.waitUntil("the foreign page's socket ends", () -> !"connecting".equals(alice.eval("return document.body.dataset.socket;")),
                    () -> String.valueOf(alice.eval("return document.body.dataset.socket;")));
            assertTrue(String.valueOf(alice.eval("return document.body.dataset.socket;")).startsWith("closed"),
                    "Chromium opened a socket for a page of another origin: the server must check Origin");
            bob.send("are you there?");
            bob.waitUntil("Bob sees his message", () -> bob.messages().size() == 3, () -> bob.messages().toString());
            assertEquals(0L, alice.eval("return document.querySelectorAll('#stolen li').length;"),
                    "The foreign page heard the chat");
        }
    }
}

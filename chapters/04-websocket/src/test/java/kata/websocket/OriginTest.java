package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cross-site WebSocket hijacking: a page of another site opens a socket to the chat with the user's
 * cookies. The same-origin policy does not stop it; only the server's check of {@code Origin} does.
 */
@Lesson("§5 Origin: cross-site WebSocket hijacking")
class OriginTest {
    static final String PARTNER = "https://partner.example";

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(
            () -> WebSocketServer.start(0, Settings.defaults().allowOrigins(PARTNER)), WebSocketServer::port);
    @RegisterExtension
    final ForeignSite foreign = new ForeignSite();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aPageFromAForeignOriginIsRefusedWhileTheChatsOwnPageConnects() {
        ChatPage alice = browsers.chat("Alice", app.url("/?name=Alice"));
        PageSocket.waitUntilOpen(alice);
        Browser mallory = browsers.open("Alice on a foreign site",
                foreign.pageAttacking("ws://localhost:" + app.port() + "/ws?name=Alice"));

        mallory.waitUntil("The server should refuse the foreign page's handshake with 403",
                () -> mallory.exchanges().stream().anyMatch(e -> e.contains("(WebSocket) → ")),
                () -> "no handshake answered yet");
        assertEquals(List.of("GET /ws?name=Alice (WebSocket) → 403"), mallory.exchanges().stream()
                        .filter(e -> e.contains("(WebSocket)")).toList(),
                "A page of another origin must not get a socket: its handshake should be answered 403, once");
        alice.send("my secret");
        alice.waitForMessages("Alice: my secret");
        assertEquals(List.of(), mallory.texts("#stolen li"), "The foreign page heard the chat");
        assertTrue(PageSocket.state(mallory).startsWith("closed"),
                "The foreign page's socket should have failed: " + PageSocket.state(mallory));
    }

    @Test
    void aHandshakeWithAForeignOriginIsRefusedWith403AndNoUpgrade() {
        RawSocket.Handshake evil = RawSocket.handshake(app.port(), "/ws?name=Alice", Map.of("Origin", "https://evil.example"));
        evil.socket().close();
        assertEquals(403, evil.status(), "Origin https://evil.example is not allowed: 403 Forbidden — but the server answered "
                + evil.describe());
        assertEquals("(absent)", evil.header("Upgrade"), "A refused handshake must not upgrade: no Upgrade header");

        RawSocket partner = RawSocket.open(app.port(), "/ws?name=Partner", PARTNER);
        partner.close();
        RawSocket own = RawSocket.open(app.port(), "/ws?name=Alice", app.origin());
        own.close();
    }

    @Test
    void lookalikeOriginsAreRefused() {
        int port = app.port();
        List<String> lookalikes = List.of(
                "http://localhost:" + port + ".evil.example",      // starts with the chat's origin
                "http://localhost",                                // inside the chat's origin, port 80
                "http://127x0x0x1:" + port,                        // a regex's unescaped dots
                "http://localhost:" + (port == 1 ? 2 : 1),         // the same host, another port: another site
                "https://localhost:" + port,                        // another scheme
                "https://notpartner.example",                      // ends with the partner's host
                "https://partner.example.evil.example",            // starts with the partner's origin
                "null");                                           // a sandboxed frame, a file:// page
        List<String> letIn = new ArrayList<>();
        for (String origin : lookalikes) {
            RawSocket.Handshake answer = RawSocket.handshake(port, "/ws?name=Alice", Map.of("Origin", origin));
            answer.socket().close();
            if (answer.status() != 403) {
                letIn.add(origin + " → " + answer.statusLine());
            }
        }
        assertEquals(List.of(), letIn, "Only the allowed origins, compared whole and exactly, may open a socket: each of"
                + " these lookalikes should get 403 — a foreign page with the user's cookies could read the chat");
    }

    @Test
    void aRebindingPageWhoseOriginMatchesTheHostIsRefused() {
        // DNS rebinding: evil.example resolves to the chat's address, so the browser sends Host evil.example:PORT
        // and Origin http://evil.example:PORT. Same host, same origin — and not an origin the chat allows.
        String evil = "evil.example:" + app.port();
        RawSocket.Handshake answer = RawSocket.handshake(app.port(), "/ws?name=Alice",
                Map.of("Host", evil, "Origin", "http://" + evil));
        answer.socket().close();
        assertEquals(403, answer.status(), "Origin http://" + evil + " is not allowed, whatever the Host header says:"
                + " 403 — but the server answered " + answer.describe());
    }
}

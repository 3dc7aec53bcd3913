package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness browser's waits: they succeed when the page gets there, and fail fast when it cannot. */
class BrowserTest {
    /** A page that fetches /later, which answers 501 the way the stubs do, or "ok" once switched. */
    static final class PageServer implements AutoCloseable {
        final Undertow undertow;
        volatile boolean implemented;

        PageServer() {
            undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(Handlers.routing()
                    .get("/", ex -> {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                        ex.getResponseSender().send("<!doctype html><p id=out>waiting</p><script>"
                                + "fetch('/later').then(function (r) { return r.text(); })"
                                + ".then(function (t) { document.getElementById('out').textContent = t; });"
                                + "</script>");
                    })
                    .get("/broken", ex -> {
                        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                        ex.getResponseSender().send("<!doctype html><p id=out>x</p><script>notDefined();</script>");
                    })
                    .get("/later", ex -> {
                        ex.setStatusCode(implemented ? 200 : 501);
                        ex.getResponseSender().send(implemented ? "ok" : "not written yet: see README.md §2");
                    })).build();
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
    final Served<PageServer> server = Served.by(PageServer::new, PageServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aWaitEndsWhenThePageShowsWhatWasExpected() {
        server.server().implemented = true;
        Browser alice = browsers.open("Alice", server.url("/"));
        alice.waitUntil("the page shows ok", () -> alice.texts("#out").equals(java.util.List.of("ok")),
                () -> alice.texts("#out").toString());
        assertEquals(java.util.List.of("GET / → 200", "GET /later → 200"), alice.exchanges());
    }

    @Test
    void aWaitFailsAtOnceWhenTheServerAnswered501() {
        Browser alice = browsers.open("Alice", server.url("/"));
        // What the page shows by then depends on whether its script already wrote the 501's text: the message is
        // checked with a fixed "seen instead", the rest of it word for word.
        AssertionError failure = assertThrows(AssertionError.class, () -> alice.waitUntil("the page shows ok",
                Duration.ofMinutes(5), () -> false, () -> "what the page shows"));
        // The test's sentence and the stub's own words read as two sentences, the stub's quoted.
        assertEquals("the page shows ok — and it cannot happen now, Alice's browser saw why:\n"
                + "  The server answered 501 Not Implemented to GET /later. It says: \u201cnot written yet: see README.md §2\u201d\n"
                + "  Seen instead: what the page shows.", failure.getMessage());
        // Blocked by an earlier step: the pointer goes to the section the stub's 501 names.
        assertEquals(java.util.Optional.of("§2"), ((BlockedByStub) failure).section());
    }

    @Test
    void aWaitFailsAtOnceWhenThePageScriptThrew() {
        Browser alice = browsers.open("Alice", server.url("/broken"));
        AssertionError failure = assertThrows(AssertionError.class, () -> alice.waitUntil("the page works",
                Duration.ofMinutes(5), () -> false, () -> "nothing"));
        assertTrue(failure.getMessage().contains("its script threw"), failure.getMessage());
        assertTrue(failure.getMessage().contains("notDefined"), failure.getMessage());
    }

    @Test
    void aWaitThatRunsOutSaysWhatWasExpectedAndWhatWasSeen() {
        server.server().implemented = true;
        Browser alice = browsers.open("Alice", server.url("/"));
        AssertionError failure = assertThrows(AssertionError.class, () -> alice.waitUntil("the page shows 42",
                Duration.ofMillis(300), () -> false, () -> "the page shows " + alice.texts("#out")));
        assertTrue(failure.getMessage().startsWith("the page shows 42 — still not so after 300 ms. Seen instead: the page shows"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("GET / → 200"), failure.getMessage());
    }

    @Test
    void openingAPageThatIsNotThereSaysSo() {
        AssertionError failure = assertThrows(AssertionError.class, () -> browsers.open("Bob", server.url("/nope")));
        assertTrue(failure.getMessage().startsWith("Bob opened http://localhost:"), failure.getMessage());
        assertTrue(failure.getMessage().contains("/nope and got 404"), failure.getMessage());
    }
}

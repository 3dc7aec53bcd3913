package kata.harness.sse;

import kata.harness.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.htmlunit.BrowserVersion;
import org.htmlunit.ScriptException;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.SilentJavaScriptErrorListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real HtmlUnit browser (Chrome) runs pages that use {@code EventSource} against a server the test
 * drives by hand. The page notes what its handlers see in {@code log}; the test waits for it.
 */
class EventSourceSupportTest {

    private static final List<Logger> QUIETED = new ArrayList<>(); // strong references keep the levels

    private StreamServer server;
    private WebClient webClient;
    private HtmlPage page;
    private final List<String> scriptErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void quietFrameworkLogs() {
        for (String name : List.of("org.htmlunit", "io.undertow", "org.xnio", "org.jboss")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }

    @BeforeEach
    void startServerAndBrowser() {
        server = new StreamServer();
        webClient = new WebClient(BrowserVersion.CHROME);
        EventSourceSupport.install(webClient);
        webClient.getOptions().setThrowExceptionOnScriptError(false);
        webClient.setJavaScriptErrorListener(new SilentJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage failing, ScriptException e) {
                scriptErrors.add(e.getMessage());
            }
        });
    }

    @AfterEach
    void stopBrowserAndServer() {
        webClient.close();
        server.close();
        assertEquals(List.of(), scriptErrors, "script errors in the page");
    }

    @Test
    void messages_arrive_as_the_server_flushes_them_while_the_stream_stays_open() throws Exception {
        open("""
                var es = new EventSource('/events');
                es.onopen = function () { note('open ' + es.readyState); };
                es.onmessage = function (e) {
                  note(e.type + ' ' + JSON.stringify(e.data) + ' id=' + e.lastEventId
                      + ' sameOrigin=' + (e.origin === location.origin) + ' ' + (e instanceof MessageEvent));
                };
                """);
        StreamServer.Stream stream = server.nextConnection();
        awaitLog("open 1");

        stream.send("data: one\n\n");
        awaitLog("open 1 | message \"one\" id= sameOrigin=true true");

        stream.send("id: 7\ndata: two\ndata: lines\n\n");
        awaitLog("open 1 | message \"one\" id= sameOrigin=true true | message \"two\\nlines\" id=7 sameOrigin=true true");
        assertEquals("1", js("String(es.readyState)"));
    }

    @Test
    void the_request_carries_the_headers_and_cookies_a_browser_sends() throws Exception {
        open("""
                document.cookie = 'sid=abc';
                var es = new EventSource('/events');
                """);
        StreamServer.Stream stream = server.nextConnection();

        assertEquals("text/event-stream", stream.header("Accept"));
        assertEquals("no-cache", stream.header("Cache-Control"));
        assertEquals("sid=abc", stream.header("Cookie"));
        assertEquals(server.url("/page.html"), stream.header("Referer"));
        assertNull(stream.header("Origin"), "a same-origin GET carries no Origin");
        assertNull(stream.header("Last-Event-ID"), "a first connection carries no Last-Event-ID");
        assertTrue(stream.header("User-Agent").contains("Chrome"), stream.header("User-Agent"));
    }

    @Test
    void the_interface_has_the_constants_attributes_and_prototype_chain_of_a_browser() {
        open("""
                var es = new EventSource('/events', { withCredentials: true });
                note('initial ' + es.readyState);
                note([EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED].join());
                note([es.CONNECTING, es.OPEN, es.CLOSED].join());
                note(es.url === new URL('/events', location.href).href);
                note('withCredentials ' + es.withCredentials + ' ' + new EventSource('/events').withCredentials);
                note((es instanceof EventSource) + ' ' + (es instanceof EventTarget) + ' '
                    + (es.constructor === EventSource) + ' ' + Object.prototype.toString.call(es));
                try { EventSource('/events'); } catch (e) { note(e.name); }
                try { new EventSource(); } catch (e) { note(e.name); }
                try { new EventSource('ftp://example.com/'); } catch (e) { note(e.name); }
                """);
        awaitLog("initial 0 | 0,1,2 | 0,1,2 | true | withCredentials true false"
                + " | true true true [object EventSource] | TypeError | TypeError | SyntaxError");
    }

    @Test
    void named_events_reach_their_listeners_and_not_onmessage() throws Exception {
        open("""
                var es = new EventSource('/events');
                function presence(e) { note(e.type + ' ' + e.data); }
                es.addEventListener('presence', presence);
                es.onmessage = function (e) { note(e.type + ' ' + e.data); };
                """);
        StreamServer.Stream stream = server.nextConnection();

        stream.send("event: presence\ndata: ann joined\n\ndata: hi\n\n");
        awaitLog("presence ann joined | message hi");

        js("es.removeEventListener('presence', presence)");
        stream.send("event: presence\ndata: bob joined\n\ndata: bye\n\n");
        awaitLog("presence ann joined | message hi | message bye");
    }

    @Test
    void after_the_server_ends_the_stream_it_reconnects_with_the_last_event_id() throws Exception {
        open("""
                var es = new EventSource('/events');
                es.onopen = function () { note('open ' + es.readyState); };
                es.onerror = function () { note('error ' + es.readyState); };
                es.onmessage = function (e) { note(e.data + ' id=' + e.lastEventId); };
                """);
        StreamServer.Stream first = server.nextConnection();
        first.send("retry: 50\nid: 41\ndata: a\n\n");
        awaitLog("open 1 | a id=41");

        first.end();
        StreamServer.Stream second = server.nextConnection();
        assertEquals("41", second.header("Last-Event-ID"));
        awaitLog("open 1 | a id=41 | error 0 | open 1");

        second.send("data: b\n\n");
        awaitLog("open 1 | a id=41 | error 0 | open 1 | b id=41");
    }

    @Test
    void retry_sets_the_time_before_reconnecting() throws Exception {
        open("var es = new EventSource('/events');");
        StreamServer.Stream first = server.nextConnection();
        first.send("retry: 400\n\n");
        long endedAt = System.nanoTime();
        first.end();

        StreamServer.Stream second = server.nextConnection();
        long waitedMillis = (second.openedAtNanos - endedAt) / 1_000_000;
        assertTrue(waitedMillis >= 400 && waitedMillis < 3000,
                "reconnected after " + waitedMillis + " ms, expected the 400 ms of retry (default 3000)");
    }

    @ParameterizedTest(name = "status {0}, Content-Type {1}")
    @CsvSource({"204,", "200,text/plain", "500,text/event-stream", "404,text/html"})
    void a_refused_response_fails_the_connection_without_reconnecting(int status, String contentType)
            throws Exception {
        server.refuseNext(status, contentType);
        open("""
                var es = new EventSource('/events');
                es.onopen = function () { note('open'); };
                es.onerror = function () { note('error ' + es.readyState); };
                es.onmessage = function (e) { note(e.data); };
                """);
        server.nextConnection();
        awaitLog("error 2");

        Eventually.until("the reader thread has ended", () -> !readerThreadAlive());
        assertEquals(0, server.pendingConnections(), "connections after the refusal");
        assertEquals("error 2", log());
    }

    @Test
    void a_refusal_that_arrives_while_the_creating_script_still_runs_fires_after_it_into_the_handler_it_set() throws Exception {
        // The script keeps running well past the refusal's arrival, then sets its handler: the error is a task,
        // and a task waits for the script (the page's readyState does not change under the script's feet either).
        open("var es;");
        server.refuseNext(502, null);
        js("""
                es = new EventSource('/events');
                var until = Date.now() + 1000;
                while (Date.now() < until && es.readyState === 0) { }
                note('script ends in ' + es.readyState);
                es.onerror = function () { note('error ' + es.readyState); };
                """);
        awaitLog("script ends in 0 | error 2");
    }

    @Test
    void close_stops_the_reader_thread_and_the_events() throws Exception {
        open("""
                var es = new EventSource('/events');
                es.onmessage = function (e) { note(e.data); };
                """);
        StreamServer.Stream stream = server.nextConnection();
        stream.send("data: a\n\n");
        awaitLog("a");
        assertTrue(readerThreadAlive(), "the reader thread runs while the stream is open");

        js("es.close(); note('closed ' + es.readyState)");
        Eventually.until("the reader thread has ended after close()", () -> !readerThreadAlive());
        stream.send("data: b\n\n");
        assertEquals("a | closed 2", log());
    }

    @Test
    void closing_the_web_client_stops_the_reader_thread() throws Exception {
        open("var es = new EventSource('/events');");
        server.nextConnection();
        Eventually.until("the reader thread runs", this::readerThreadAlive);

        webClient.close();
        Eventually.until("the reader thread has ended after webClient.close()", () -> !readerThreadAlive());
    }

    @Test
    void leaving_the_page_stops_the_reader_thread() throws Exception {
        open("var es = new EventSource('/events');");
        server.nextConnection();
        Eventually.until("the reader thread runs", this::readerThreadAlive);

        server.page("other.html", "<html><body>elsewhere</body></html>");
        webClient.getPage(server.url("/other.html"));
        Eventually.until("the reader thread has ended after leaving the page", () -> !readerThreadAlive());
    }

    private void open(String script) {
        server.page("page.html", """
                <!DOCTYPE html>
                <html><head><title>EventSource</title></head><body>
                <script>
                var log = [];
                function note(text) { log.push(text); }
                %s
                </script>
                </body></html>
                """.formatted(script));
        try {
            page = webClient.getPage(server.url("/page.html"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String js(String expression) {
        Object result = page.executeJavaScript(expression).getJavaScriptResult();
        return String.valueOf(result);
    }

    private String log() {
        return js("log.join(' | ')");
    }

    private void awaitLog(String expected) {
        Eventually.until("the page's log", this::log, expected);
    }

    private boolean readerThreadAlive() {
        String name = "EventSource-" + server.url("/events");
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }
}

package kata.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.htmlunit.BrowserVersion;
import org.htmlunit.Page;
import org.htmlunit.ScriptException;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.javascript.SilentJavaScriptErrorListener;
import org.htmlunit.util.WebConnectionWrapper;
import kata.harness.cors.BrowserLikeCors;
import kata.harness.sse.EventSourceJavaScriptEngine;
import kata.harness.sse.EventSourceSupport;
import kata.harness.ws.BrowserLikeWebSockets;

/**
 * One person's browser: an HtmlUnit {@link WebClient} in Chrome mode that runs the page's real
 * JavaScript, with the gaps that matter here filled in the way a real browser fills them: a real
 * {@code EventSource} ({@link EventSourceSupport}), a WebSocket handshake that carries the page's
 * {@code Origin} ({@link BrowserLikeWebSockets}), and the Fetch standard's CORS protocol for XHR and fetch
 * ({@link BrowserLikeCors}).
 *
 * <p>Waiting is the heart of it. {@link #waitUntil} polls a condition up to a deadline and fails with a
 * message for the learner; and it stops <em>at once</em> when the page has already shown that it cannot
 * succeed: the server answered {@code 501 Not Implemented} (the stubs' way of saying "your code goes
 * here") or the page's script threw. A learner's red run takes seconds, not the sum of all deadlines.
 */
public final class Browser implements AutoCloseable {
    /**
     * Only bounds a wait that should succeed: a wait ends at once when the page already shows why it cannot (a
     * 501, a script error, a refused handshake), so a red run does not pay it. Measured, not guessed: with six
     * busy processes on two cores ({@code scripts/repeat 10 --load 6}), the slowest wait that succeeded took 2.4 s.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final int EXCHANGES_KEPT = 200;

    private final String name;
    private final WebClient client;
    /** What ends a wait at once; {@code section} is where the stub's 501 sends the learner, if it says. */
    private record Alarm(String text, String section) {
    }

    private final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    private final List<String> exchanges = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<WebRequest, WebResponse>> taps = new CopyOnWriteArrayList<>();
    private HtmlPage page;

    public Browser(String name) {
        QuietLogs.install();
        this.name = name;
        this.client = new WebClient(BrowserVersion.CHROME);
        client.getOptions().setCssEnabled(false);
        client.getOptions().setThrowExceptionOnScriptError(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        client.getOptions().setPrintContentOnFailingStatusCode(false);
        // Chrome has fetch; HtmlUnit's Chrome mode has it only as this polyfill over its XHR.
        client.getOptions().setFetchPolyfillEnabled(true);
        client.getOptions().setTimeout((int) Http.DEADLINE.toMillis());
        client.getOptions().setSSLContext(PlainHttpOnly.context());
        client.setJavaScriptErrorListener(new SilentJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage failing, ScriptException e) {
                alarms.add(new Alarm(name + "'s page: its script threw " + firstLine(e.getMessage())
                        + (e.getFailingLineNumber() > 0 ? " (line " + e.getFailingLineNumber() + ")" : "") + ".", null));
            }
        });
        new WebConnectionWrapper(client) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                WebResponse response = super.getResponse(request);
                taps.forEach(tap -> tap.accept(request, response));
                URL url = request.getUrl();
                record(request.getHttpMethod() + " " + url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery()),
                        response.getStatusCode(), response::getContentAsString);
                return response;
            }
        };
        // HtmlUnit's EventSource is an empty placeholder: the harness's is a real one (WHATWG processing
        // model), and its streams are recorded like every other request.
        EventSourceSupport.install(client);
        // HtmlUnit's WebSocket handshake sends no Origin and a Jetty User-Agent; a browser's sends both the
        // page's Origin and its own User-Agent, which is what a server's cross-site check looks at.
        // The handshake's status is recorded too (the page itself sees only error and close 1006), and a 501
        // ends a wait at once, as it does for every other request.
        BrowserLikeWebSockets.install(client, (url, status) ->
                record("GET " + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                        + " (WebSocket)", status, () -> status == 101 ? "" : "a refused WebSocket handshake"));
        ((EventSourceJavaScriptEngine) client.getJavaScriptEngine()).observeResponses((url, status, bodyStart) ->
                record("GET " + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                        + " (EventSource)", status, () -> bodyStart));
        // HtmlUnit keeps only part of the Fetch standard's CORS protocol (it ignores Access-Control-Allow-Methods,
        // a preflight's Access-Control-Allow-Credentials, Access-Control-Expose-Headers, …): the harness keeps it
        // as Chromium does. Installed last, so it sees requests first: the real preflights it sends are recorded
        // like every request, and what it blocks is recorded as blocked, as Chromium's console would show it.
        BrowserLikeCors.install(client, (request, reason) -> {
            URL url = request.getUrl();
            keep(request.getHttpMethod() + " " + url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery())
                    + " → blocked by CORS: " + reason);
        });
    }

    private void record(String target, int status, Supplier<String> body) {
        keep(target + " → " + status);
        if (status == 501) {
            String said = firstLine(body.get()).replaceFirst("^501 Not Implemented: ", "").strip();
            alarms.add(new Alarm("The server answered 501 Not Implemented to " + target + ". It says: \u201c" + said
                    + "\u201d", BlockedByStub.sectionIn(said)));
        }
    }

    private void keep(String exchange) {
        if (exchanges.size() >= EXCHANGES_KEPT) {
            exchanges.remove(0);
        }
        exchanges.add(exchange);
    }

    public String name() {
        return name;
    }

    /**
     * Has {@code tap} see every request this browser sends on the network and its answer, as the server saw
     * them: the preflights the CORS protocol sends included (no page ever sees those), and every header of an
     * answer (a page sees only those CORS exposes). Wrapping {@link #client()}'s connection instead would sit
     * above the CORS protocol and see what HtmlUnit asks of it, not what goes on the wire.
     */
    public void tapTheWire(BiConsumer<WebRequest, WebResponse> tap) {
        taps.add(tap);
    }

    /** The underlying client, for the rare test that needs what this class does not offer. */
    public WebClient client() {
        return client;
    }

    /** Loads a page and runs its scripts, as typing the URL into the address bar would. */
    public Browser open(String url) {
        try {
            Page loaded = client.getPage(url);
            int status = loaded.getWebResponse().getStatusCode();
            if (status != 200 || !(loaded instanceof HtmlPage)) {
                throw new AssertionError(name + " opened " + url + " and got " + status + " "
                        + loaded.getWebResponse().getContentType() + " instead of the chat page (200 text/html): "
                        + firstLine(loaded.getWebResponse().getContentAsString()));
            }
            page = (HtmlPage) loaded;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " could not open " + url, e);
        }
    }

    public HtmlPage page() {
        if (page == null) {
            throw new IllegalStateException(name + " has not opened a page yet");
        }
        return page;
    }

    /** Waits up to {@link #DEADLINE}; see {@link #waitUntil(String, Duration, BooleanSupplier, Supplier)}. */
    public void waitUntil(String expectation, BooleanSupplier done, Supplier<String> observed) {
        waitUntil(expectation, DEADLINE, done, observed);
    }

    /**
     * Polls {@code done} ({@link LookAgain}) until it holds or the deadline passes. Fails at once, without waiting
     * out the deadline, when the server answered 501 or the page's script threw.
     *
     * @param expectation what should happen, as the learner reads it ("Bob sees Alice's message")
     * @param observed    what the page shows instead, for the failure message
     */
    public void waitUntil(String expectation, Duration deadline, BooleanSupplier done, Supplier<String> observed) {
        long started = System.nanoTime();
        long end = started + deadline.toNanos();
        LookAgain next = new LookAgain();
        while (true) {
            if (done.getAsBoolean()) {
                SlowestWaits.succeeded(expectation, System.nanoTime() - started, deadline);
                return;
            }
            if (!alarms.isEmpty()) {
                Alarm first = alarms.get(0);
                String message = expectation + " — and it cannot happen now, " + name + "'s browser saw why:\n  "
                        + first.text() + "\n  Seen instead: " + observed.get() + ".";
                throw first.section() == null ? new AssertionError(message) : new BlockedByStub(message, first.section());
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(expectation + " — still not so after " + millis(deadline)
                        + ". Seen instead: " + observed.get() + ". " + name + "'s page made these requests: "
                        + recentExchanges(8) + ".");
            }
            next.pause();
        }
    }

    /** The problems that end a wait at once (501 answers, script errors), oldest first. */
    public List<String> alarms() {
        return alarms.stream().map(Alarm::text).toList();
    }

    /** Forgets the alarms so far, for a test that provoked an error on purpose. */
    public void clearAlarms() {
        alarms.clear();
    }

    /**
     * How many {@code EventSource} objects this browser's pages have constructed: a page that lets the browser
     * reconnect its stream constructs one, however often the stream breaks.
     */
    public int eventSourcesCreated() {
        return ((EventSourceJavaScriptEngine) client.getJavaScriptEngine()).eventSourcesCreated();
    }

    /** Every request the page made and its status, oldest first: "GET /messages?since=3 → 200". */
    public List<String> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The last few exchanges, runs of the same one folded: "GET /messages?since=2 → 200 (×14)". */
    public String recentExchanges(int howMany) {
        List<String> all = exchanges();
        List<String> folded = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (String exchange : all) {
            int last = folded.size() - 1;
            if (last >= 0 && folded.get(last).equals(exchange)) {
                counts.set(last, counts.get(last) + 1);
            } else {
                folded.add(exchange);
                counts.add(1);
            }
        }
        List<String> shown = new ArrayList<>();
        for (int i = Math.max(0, folded.size() - howMany); i < folded.size(); i++) {
            shown.add(folded.get(i) + (counts.get(i) > 1 ? " (×" + counts.get(i) + ")" : ""));
        }
        return shown.isEmpty() ? "none" : String.join(", ", shown);
    }

    /** The text of each element that matches a CSS selector, in document order. */
    public List<String> texts(String selector) {
        HtmlPage current = page();
        synchronized (current) { // the page's scripts run under this lock; never read a DOM mid-change
            List<String> texts = new ArrayList<>();
            for (DomNode node : current.querySelectorAll(selector)) {
                texts.add(node.getTextContent());
            }
            return texts;
        }
    }

    public int count(String selector) {
        return texts(selector).size();
    }

    /** Runs an expression in the page, as the browser's console would. */
    public Object eval(String javaScript) {
        HtmlPage current = page();
        synchronized (current) {
            return current.executeJavaScript(javaScript).getJavaScriptResult();
        }
    }

    /** Puts a value into a text field, as a person typing it (without a key event per character). */
    public void fill(String selector, String value) {
        HtmlElement field = element(selector);
        if (field instanceof HtmlTextArea area) {
            area.setText(value);
        } else if (field instanceof HtmlInput input) {
            input.setValue(value);
        } else {
            throw new AssertionError(name + "'s page: " + selector + " is a <" + field.getTagName()
                    + ">, not a text field");
        }
    }

    public void click(String selector) {
        try {
            element(selector).click();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HtmlElement element(String selector) {
        HtmlElement element = page().querySelector(selector);
        if (element == null) {
            throw new AssertionError(name + "'s page has no element " + selector
                    + ": the tests rely on it — put it back as the chapter's page had it");
        }
        return element;
    }

    @Override
    public void close() {
        client.close();
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "(no text)";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}

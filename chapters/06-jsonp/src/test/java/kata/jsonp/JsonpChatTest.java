package kata.jsonp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kata.chat.NewMessage;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alice and Bob, each in a browser of their own, on the chat site ({@code http://localhost:P1}); their
 * pages read the messages by JSONP from the chat API on another origin ({@code http://127.0.0.1:P2}).
 */
class JsonpChatTest {
    @RegisterExtension
    @Order(1)
    final Served<ChatApi> api = Served.by(() -> ChatApi.start(0), ChatApi::port).reachedAs("127.0.0.1");
    @RegisterExtension
    @Order(2)
    final Served<ChatSite> site = Served.by(() -> ChatSite.start(0, api.server(), api.origin()), ChatSite::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private static final Pattern CALLBACK = Pattern.compile("GET /jsonp\\?\\S*?cb=([^&\\s]+)");

    /** The page asks every 100 ms in these tests, so a message shows within a few tenths of a second. */
    private ChatPage open(String person) {
        return browsers.chat(person, site.url("/?name=" + person + "&interval=100&timeout=2000"));
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void bobSeesAlicesMessageThroughJsonpFromTheOtherOrigin() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        assertNotEquals(site.origin(), api.origin(), "the test's premise: the page and the API are two origins");

        alice.send("Hello Bob");

        bob.waitForMessages("Alice: Hello Bob");
    }

    @Test
    @Lesson("§6 The since cursor")
    void messagesArriveInOrderEachOnceForEveryone() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        alice.send("one");
        alice.waitForMessages("Alice: one");
        bob.send("two");
        bob.waitForMessages("Alice: one", "Bob: two");
        alice.send("three");

        String[] everything = {"Alice: one", "Bob: two", "Alice: three"};
        bob.waitForMessages(everything);
        alice.waitForMessages(everything);
        // Several more answers bring nothing new: nothing may be shown twice.
        long seen = jsonpRequests(bob.browser()).size();
        bob.browser().waitUntil("Bob's page should keep asking the API",
                () -> jsonpRequests(bob.browser()).size() >= seen + 5,
                () -> (jsonpRequests(bob.browser()).size() - seen) + " more requests");
        assertEquals(List.of(everything), bob.messages(),
                "Bob's page showed a message twice: each request must ask only for what is newer than the last id shown (?since=)");
    }

    @Test
    @Lesson("§5 The client: one script, one callback, per request")
    void everyRequestHasAFreshCallbackThatIsGoneOnceItRan() {
        ChatPage alice = open("Alice");
        // A short timeout: each request's timer runs out while Bob's page keeps asking, so a timer that was
        // not cleared when its answer came shows up here, as a callback put back after it ran.
        ChatPage bob = browsers.chat("Bob", site.url("/?name=Bob&interval=100&timeout=300"));
        alice.send("hi");
        bob.waitForMessages("Alice: hi");
        bob.browser().waitUntil("Bob's page should keep asking the API",
                () -> jsonpRequests(bob.browser()).size() >= 10,
                () -> jsonpRequests(bob.browser()).size() + " requests");

        List<String> names = callbackNames(bob.browser());
        assertEquals(names.size(), new HashSet<>(names).size(),
                "Every request should name a callback of its own (chat.r1, chat.r2, …), or a late answer to an old request"
                        + " calls the function meant for a new one. Bob's page used: " + names);
        // The newest request may still be under way; every one before it has run.
        for (String name : names.subList(0, names.size() - 2)) {
            assertEquals("undefined", typeOf(bob.browser(), name),
                    "The callback " + name + " has run, but Bob's page still keeps it (or put it back later): delete it"
                            + " once it ran, and stop the request's timer then, or every request leaves a function behind");
        }
    }

    @Test
    @Lesson("§5 The client: one script, one callback, per request")
    void scriptTagsDoNotPileUpInBobsPageAfterManyPolls() {
        ChatPage bob = open("Bob");
        bob.browser().waitUntil("Bob's page should keep asking the API",
                () -> jsonpRequests(bob.browser()).size() >= 20,
                () -> jsonpRequests(bob.browser()).size() + " requests");

        int scripts = bob.browser().count("script[src*='/jsonp']");
        assertTrue(scripts <= 1, "After " + jsonpRequests(bob.browser()).size() + " requests Bob's page holds " + scripts
                + " <script src=\".../jsonp…\"> tags: remove each one once its answer ran (or failed), at most one is under way");
    }

    @Test
    @Lesson("§4 Escaping: the data must not break out")
    void textWithScriptEndAndLineSeparatorsArrivesIntactAndRunsNothing() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        String attack = "</script><script>window.pwned=1</script>\u2028alert(2)\u2029 <!-- \"quoted\" \\ & done";

        alice.send(attack);

        bob.waitForMessages("Alice: " + attack);
        assertEquals(0, bob.browser().count("#messages script, #messages img"),
                "Bob's page turned Alice's text into HTML elements: show it with textContent, never innerHTML");
        assertEquals("undefined", bob.browser().eval("typeof window.pwned"), "Alice's text ran code in Bob's page");
    }

    @Test
    @Lesson("§6 The since cursor")
    void bobCatchesUpOnAHistoryLongerThanOneAnswer() {
        int history = ChatApi.BATCH + ChatApi.BATCH / 2;
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= history; i++) {
            api.server().post(new NewMessage("Alice", "message " + i));
            expected.add("Alice: message " + i);
        }

        ChatPage bob = open("Bob");

        bob.browser().waitUntil("Bob's page should show all " + history + " messages sent before he came, in order, once:"
                        + " an answer brings at most " + ChatApi.BATCH + ", so the next request must ask for what is newer"
                        + " than the last one shown (?since=)",
                () -> bob.messages().equals(expected),
                () -> bob.messages().size() + " messages, the last " + lastOf(bob.messages()));
    }

    @Test
    @Lesson("§1 Two origins and a script tag")
    void bobsPageTakesTheApiFromItsServerNotFromItsLink() {
        ChatPage alice = open("Alice");
        // A link someone sent Bob, naming another server as "the API": a page that believed it would run that
        // server's scripts. Here it names the chat site itself, which has no /jsonp: a request there is a 404.
        ChatPage bob = browsers.chat("Bob", site.url("/?name=Bob&interval=100&timeout=2000&api="
                + URLEncoder.encode(site.origin(), StandardCharsets.UTF_8)));

        alice.send("only through the real API");

        bob.waitForMessages("Alice: only through the real API");
        assertTrue(jsonpRequests(bob.browser()).stream().noneMatch(e -> e.endsWith("→ 404")),
                "Bob's page asked the server named in its link (?api=) for scripts: take the API's origin from the"
                        + " <meta name=\"chat-api\"> its server filled in, never from the page's URL. Requests: "
                        + jsonpRequests(bob.browser()));
    }

    private static String lastOf(List<String> shown) {
        return shown.isEmpty() ? "(none)" : "\"" + shown.get(shown.size() - 1) + "\"";
    }

    /** Every /jsonp request the page made, oldest first. */
    static List<String> jsonpRequests(Browser browser) {
        return browser.exchanges().stream().filter(e -> e.startsWith("GET /jsonp")).toList();
    }

    private static List<String> callbackNames(Browser browser) {
        List<String> names = new ArrayList<>();
        for (String exchange : jsonpRequests(browser)) {
            Matcher m = CALLBACK.matcher(exchange);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String typeOf(Browser browser, String path) {
        if (!path.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
            return "(not a name: " + path + ")";
        }
        return String.valueOf(browser.eval("(function () { try { return typeof " + path + "; }"
                + " catch (e) { return 'undefined'; } })()"));
    }
}

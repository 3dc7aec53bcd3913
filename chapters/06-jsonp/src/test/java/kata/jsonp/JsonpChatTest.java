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
 * pages read the messages by JSONP from the chat API on another origin ({@code http://127.0.0.1:P2}). Their
 * pages' timers are the test's ({@link ClockedPages}): a page asks again when the test lets its interval pass.
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
    private final ClockedPages pages = new ClockedPages(browsers);

    private static final Pattern CALLBACK = Pattern.compile("GET /jsonp\\?\\S*?cb=([^&\\s]+)");

    /** A page that asks every {@value ClockedPages#INTERVAL} ms of its clock, and gives a request 2 s. */
    private ChatPage open(String person) {
        return open(person, "timeout=2000");
    }

    private ChatPage open(String person, String settings) {
        return pages.open(person, site.url("/?name=" + person + "&interval=" + ClockedPages.INTERVAL + "&" + settings));
    }

    /** The page's interval passes {@code times} times: each time its next request goes out. */
    private void asksAgain(ChatPage page, int times) {
        for (int i = 0; i < times; i++) {
            pages.asksAgain(page, page.person() + "'s page should keep asking the API: " + ClockedPages.INTERVAL
                    + " ms after a request ended, the next (a setTimeout when it ends)");
        }
    }

    @Test
    @Lesson("§2 The JSONP answer")
    void bobSeesAlicesMessageThroughJsonpFromTheOtherOrigin() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");
        assertNotEquals(site.origin(), api.origin(), "the test's premise: the page and the API are two origins");

        pages.sends(alice, "Hello Bob");

        pages.waitForMessages(bob, "Alice: Hello Bob");
    }

    @Test
    @Lesson("§6 The since cursor")
    void messagesArriveInOrderEachOnceForEveryone() {
        ChatPage alice = open("Alice");
        ChatPage bob = open("Bob");

        pages.sends(alice, "one");
        pages.waitForMessages(alice, "Alice: one");
        pages.sends(bob, "two");
        pages.waitForMessages(bob, "Alice: one", "Bob: two");
        pages.sends(alice, "three");

        String[] everything = {"Alice: one", "Bob: two", "Alice: three"};
        pages.waitForMessages(bob, everything);
        pages.waitForMessages(alice, everything);
        // Several more answers bring nothing new: nothing may be shown twice.
        asksAgain(bob, 5);
        assertEquals(List.of(everything), bob.messages(),
                "Bob's page showed a message twice: each request must ask only for what is newer than the last id shown (?since=)");
    }

    @Test
    @Lesson("§5 The client: one script, one callback, per request")
    void everyRequestHasAFreshCallbackThatIsGoneOnceItRan() {
        ChatPage alice = open("Alice");
        // A short timeout: each request's timer runs out while Bob's page keeps asking, so a timer that was
        // not cleared when its answer came shows up here, as a callback put back after it ran.
        ChatPage bob = open("Bob", "timeout=300");
        pages.sends(alice, "hi");
        pages.waitForMessages(bob, "Alice: hi");
        asksAgain(bob, 10); // a second of Bob's time: the timers of the first requests have run out since

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
        asksAgain(bob, 20);

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

        pages.sends(alice, attack);

        pages.waitForMessages(bob, "Alice: " + attack);
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

        pages.waitUntil(bob, "Bob's page should show all " + history + " messages sent before he came, in order, once:"
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
        ChatPage bob = open("Bob", "timeout=2000&api=" + URLEncoder.encode(site.origin(), StandardCharsets.UTF_8));

        pages.sends(alice, "only through the real API");

        pages.waitForMessages(bob, "Alice: only through the real API");
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

package kata.jsonp;

import java.util.List;
import kata.harness.Browser;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leak, shown on purpose: a page on a third origin, which has nothing to do with the chat, reads it
 * by including the JSONP as a script. That is what JSONP is, not a bug to fix: so never answer anything
 * private over JSONP.
 */
class JsonpLeakTest {
    @RegisterExtension
    @Order(1)
    final Served<ChatApi> api = Served.by(() -> ChatApi.start(0), ChatApi::port).reachedAs("127.0.0.1");
    @RegisterExtension
    @Order(2)
    final Served<ChatSite> site = Served.by(() -> ChatSite.start(0, api.server(), api.origin()), ChatSite::port);
    @RegisterExtension
    @Order(3)
    final Served<EvilSite> evil = Served.by(() -> EvilSite.start(0, api.origin()), EvilSite::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    @Lesson("§8 Anyone can read it: no private data over JSONP")
    void anyOtherSiteCanReadWhatTheJsonpApiServes() {
        ChatPage alice = browsers.chat("Alice", site.url("/?name=Alice&interval=100"));
        alice.send("the chat is public, so this is fine");
        alice.waitForMessages("Alice: the chat is public, so this is fine");

        Browser bob = browsers.open("Bob", evil.url("/"));

        bob.waitUntil("The page on the evil origin should read the chat through the JSONP API, as any page can",
                () -> bob.texts("#stolen li").equals(List.of("Alice: the chat is public, so this is fine")),
                () -> "the evil page shows " + bob.texts("#stolen li"));
    }
}

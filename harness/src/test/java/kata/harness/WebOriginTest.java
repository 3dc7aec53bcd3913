package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.htmlunit.MockWebConnection;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

/** Origins are written as browsers write them in an {@code Origin} header. */
class WebOriginTest {

    @Test
    void originKeepsANonDefaultPortAndDropsThePath() throws Exception {
        assertEquals("http://127.0.0.1:8080", WebOrigin.of(new URL("http://127.0.0.1:8080/chat/index.html?x=1#top")));
    }

    @Test
    void originLeavesOutTheDefaultPort() throws Exception {
        assertEquals("http://example.com", WebOrigin.of(new URL("http://example.com:80/")));
        assertEquals("https://example.com", WebOrigin.of(new URL("https://example.com:443/a")));
        assertEquals("https://example.com", WebOrigin.of(new URL("https://example.com")));
    }

    @Test
    void originIsLowerCase() throws Exception {
        assertEquals("http://example.com:8080", WebOrigin.of(new URL("HTTP://Example.COM:8080/")));
    }

    @Test
    void originOfAnIpv6HostKeepsTheBrackets() throws Exception {
        assertEquals("http://[::1]:8080", WebOrigin.of(new URL("http://[::1]:8080/")));
    }

    @Test
    void aFilePageHasTheOpaqueOriginNull() throws Exception {
        assertEquals("null", WebOrigin.of(new URL("file:///tmp/page.html")));
    }

    @Test
    void anAboutBlankFrameHasTheOriginOfItsParent() throws Exception {
        try (WebClient browser = new WebClient()) {
            MockWebConnection web = new MockWebConnection();
            web.setResponse(new URL("http://example.com:8080/outer.html"), "<html><body><iframe></iframe></body></html>");
            browser.setWebConnection(web);
            HtmlPage outer = browser.getPage("http://example.com:8080/outer.html");
            Page frame = outer.getFrames().get(0).getEnclosedPage();

            assertEquals("about:blank", frame.getUrl().toString());
            assertEquals("http://example.com:8080", WebOrigin.of(frame));
        }
    }

    @Test
    void aTopLevelAboutBlankPageHasTheOpaqueOriginNull() throws Exception {
        try (WebClient browser = new WebClient()) {
            assertEquals("null", WebOrigin.of((Page) browser.getPage("about:blank")));
        }
    }
}

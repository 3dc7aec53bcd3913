package kata.jsonp;

/**
 * The demo: {@code mvn -q -pl chapters/06-jsonp compile exec:java}. Starts the chat API, the chat site and the
 * evil site, each on an origin of its own, and says where to point a browser.
 */
public final class JsonpDemo {
    private JsonpDemo() {
    }

    public static void main(String[] args) {
        ChatApi api = ChatApi.start(8081);
        String apiOrigin = "http://127.0.0.1:" + api.port();
        ChatSite site = ChatSite.start(8080, api, apiOrigin);
        EvilSite evil = EvilSite.start(8666, apiOrigin);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            evil.close();
            site.close();
            api.close();
        }));
        System.out.println("Chapter 06 (JSONP): the chat runs at http://localhost:" + site.port()
                + "/?name=Alice — open a second tab as ?name=Bob. Its messages come by JSONP from "
                + apiOrigin + ". Then open http://localhost:" + evil.port()
                + "/ — another site, reading the chat. Ctrl+C stops it.");
    }
}

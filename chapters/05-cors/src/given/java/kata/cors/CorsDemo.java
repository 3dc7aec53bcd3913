package kata.cors;

import java.util.Set;

/**
 * The three origins on fixed ports, to try in a real browser: {@code mvn -q -pl chapters/05-cors compile exec:java}.
 * Open the app, then (in the same browser, so with the same cookies) the evil site, and watch the
 * browser's console and network tab.
 */
public final class CorsDemo {
    private CorsDemo() {
    }

    public static void main(String[] args) {
        int appPort = 8080;
        int apiPort = 8081;
        int evilPort = 8082;
        String appOrigin = "http://localhost:" + appPort;
        String apiOrigin = "http://localhost:" + apiPort;
        CorsApiServer api = CorsApiServer.start(apiPort, Set.of(appOrigin));
        AppServer app = AppServer.start(appPort, () -> apiOrigin);
        EvilServer evil = EvilServer.start(evilPort, () -> apiOrigin);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            evil.close();
            app.close();
            api.close();
        }));
        System.out.println("Chapter 05 (CORS):\n"
                + "  the app   " + appOrigin + "/?name=Alice   (a second tab: ?name=Bob)\n"
                + "  the API   " + apiOrigin + "                (allows " + appOrigin + " only)\n"
                + "  evil site http://127.0.0.1:" + evilPort + "/          (open it after the app, same browser)\n"
                + "Ctrl+C stops them.");
    }
}

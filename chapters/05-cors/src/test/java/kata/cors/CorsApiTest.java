package kata.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kata.harness.Http;
import kata.harness.Http.Response;
import kata.harness.Lesson;
import kata.harness.Served;
import kata.harness.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API on the wire, as a browser would call it from each origin, and as an attacker would call it
 * with a browser's cookie. Here no page runs: the origins are only names in the {@code Origin} header.
 */
class CorsApiTest {
    static final String APP = "http://localhost:8080";
    static final String EVIL = "http://127.0.0.1:8666";

    @RegisterExtension
    final Served<CorsApiServer> api = Served.by(() -> CorsApiServer.start(0, Set.of(APP)), CorsApiServer::port);

    /** What a browser adds to a JSON POST made by a page on {@code origin}, with the page's cookie. */
    private Response postJson(String path, String origin, String cookie, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (origin != null) {
            headers.put("Origin", origin);
        }
        if (cookie != null) {
            headers.put("Cookie", cookie);
        }
        headers.put("Content-Type", "application/json");
        headers.put("X-Requested-With", "XMLHttpRequest");
        return Http.send("POST", api.url(path), json, headers);
    }

    private Response get(String path, String origin, String cookie) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", origin);
        if (cookie != null) {
            headers.put("Cookie", cookie);
        }
        return Http.send("GET", api.url(path), null, headers);
    }

    private Response preflight(String path, String origin) {
        return Http.send("OPTIONS", api.url(path), null, Map.of(
                "Origin", origin,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,x-requested-with"));
    }

    /** Logs in from the app, as its page does, and returns the cookie to send back: "chat_session=…". */
    private String logInFromTheApp(String name) {
        Response login = postJson("/session", APP, null, "{\"name\":\"" + name + "\"}")
                .passedTheStub("POST /session from the app should log " + name + " in");
        assertStatus(200, login, "POST /session from the app should log " + name + " in");
        String setCookie = login.header("Set-Cookie").orElseThrow(
                () -> new AssertionError("POST /session should set the session cookie — but no Set-Cookie in " + login.describe()));
        return setCookie.split(";", 2)[0].trim();
    }

    private static void assertStatus(int expected, Response response, String why) {
        assertEquals(expected, response.status(), why + " — but " + response.describe());
    }

    private static void assertNoCorsHeaders(Response response, String why) {
        List<String> cors = response.headers().keySet().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-")).toList();
        assertTrue(cors.isEmpty(), why + " — but the answer carries " + cors + ": " + response.describe());
    }

    private static void assertAllowsTheApp(Response response, String why) {
        assertEquals(APP, response.header("Access-Control-Allow-Origin").orElse("(absent)"),
                why + ": Access-Control-Allow-Origin should be the app's origin, exactly as sent in Origin");
        assertEquals("true", response.header("Access-Control-Allow-Credentials").orElse("(absent)"),
                why + ": the app sends its cookie, so Access-Control-Allow-Credentials: true");
    }

    private static boolean variesByOrigin(Response response) {
        return response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Vary"))
                .flatMap(e -> e.getValue().stream())
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("origin"));
    }

    private void assertStoredCount(int expected) {
        Response all = get("/messages?since=0", APP, null);
        assertStatus(200, all, "GET /messages?since=0 from the app should list the stored messages");
        int count = com.google.gson.JsonParser.parseString(all.body()).getAsJsonArray().size();
        assertEquals(expected, count, "The server should hold exactly " + expected + " message(s): " + all.body());
    }

    @Test
    @Lesson("§3 The preflight")
    void aPreflightAnswerOnTheWire() {
        Response answer = preflight("/messages", APP);

        assertStatus(204, answer, "The app's preflight should be answered 204 No Content");
        String transcript = answer.transcript("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Vary");
        // The question the browser asked, under the request line: what the answer answers.
        Snapshot.verify(transcript.replaceFirst("\n", "\n> Origin: " + APP
                + "\n> Access-Control-Request-Method: POST\n> Access-Control-Request-Headers: content-type,x-requested-with\n"));
    }

    @Test
    @Lesson("§3 The preflight")
    void aPreflightFromAForeignOriginIsRefusedWith403AndNoCorsHeaders() {
        assertStatus(204, preflight("/messages", APP), "The app's preflight should be answered 204");

        Response evil = preflight("/messages", EVIL);
        assertStatus(403, evil, "A preflight from " + EVIL + " should be refused with 403 Forbidden");
        assertNoCorsHeaders(evil, "A refused preflight must not carry any Access-Control-* header");
        assertTrue(evil.body().contains(EVIL), "The 403 should say why in its body, naming the origin it refused, so"
                + " whoever reads the network panel knows what was refused — the body was: " + evil.body());

        Response sandboxed = preflight("/messages", "null"); // a sandboxed iframe, a file:// page
        assertStatus(403, sandboxed, "A preflight from the origin \"null\" should be refused with 403");
        assertNoCorsHeaders(sandboxed, "A refused preflight must not carry any Access-Control-* header");
    }

    @Test
    @Lesson("§2 Reading across origins")
    void aReadIsAllowedForTheAppsOriginItselfNeverForAStar() {
        Response fromApp = get("/messages?since=0", APP, null);
        assertStatus(200, fromApp, "GET /messages from the app should be answered");
        assertAllowsTheApp(fromApp, "GET /messages from the app");
        assertTrue(variesByOrigin(fromApp), "The answer depends on Origin, so it must say Vary: Origin — "
                + "or a cache may hand the app's answer to another origin: " + fromApp.headers());

        Response fromEvil = get("/messages?since=0", EVIL, null);
        assertFalse(fromEvil.header("Access-Control-Allow-Origin").isPresent(),
                "GET /messages from " + EVIL + " must not be allowed: the API answered Access-Control-Allow-Origin: "
                        + fromEvil.header("Access-Control-Allow-Origin").orElse("") + " (never \"*\", never the Origin echoed back)");
        assertNoCorsHeaders(fromEvil, "An origin that is not allowed gets no CORS headers at all, not even"
                + " Allow-Credentials or Expose-Headers: they are the app's, and tell a stranger what the API would allow");
        assertTrue(variesByOrigin(fromEvil), "The answer without CORS headers depends on Origin too: Vary: Origin");
    }

    /**
     * Origins that a careless check takes for the app's. Each is a real origin an attacker can serve a page
     * from: a domain of their own that starts with the app's host name, one that ends with it, the app's
     * host on another port or scheme, the same machine under another name, a sandboxed frame.
     */
    static final List<String> LOOKALIKES = List.of(
            "http://localhost:8080.evil.example", // startsWith, contains, a regular expression without ^…$
            "http://notlocalhost:8080",          // endsWith
            "http://localhost:8081",             // the host alone, any port
            "http://localhost",                  // the host alone, no port
            "https://localhost:8080",            // the host and port, any scheme
            "http://127.0.0.1:8080",             // the same socket under another host name: another origin
            "null");                             // a sandboxed iframe, a file:// page, some redirects

    @Test
    @Lesson("§4 What the browser blocks")
    void aPageOnALookalikeOriginCannotReadAlicesSession() {
        String alice = logInFromTheApp("Alice");
        for (String lookalike : LOOKALIKES) {
            Response read = get("/session", lookalike, alice);
            assertFalse(read.header("Access-Control-Allow-Origin").isPresent()
                            || read.header("Access-Control-Allow-Credentials").isPresent(),
                    "A page on " + lookalike + " is not the app (" + APP + "): the origin is compared whole, character for"
                            + " character. But the API answered its GET /session, with Alice's cookie, with Access-Control-Allow-Origin: "
                            + read.header("Access-Control-Allow-Origin").orElse("(absent)") + " and Access-Control-Allow-Credentials: "
                            + read.header("Access-Control-Allow-Credentials").orElse("(absent)")
                            + " — so that page reads " + read.body() + " as Alice. allowedOrigins.contains(origin), nothing looser");
        }
    }

    @Test
    @Lesson("§6 CSRF: refusing what another site sends")
    void aLookalikeOriginCannotPostInAlicesName() {
        String alice = logInFromTheApp("Alice");
        for (String lookalike : LOOKALIKES) {
            Response forged = postJson("/messages", lookalike, alice, "{\"author\":\"Alice\",\"text\":\"from " + lookalike + "\"}");
            assertStatus(403, forged, "POST /messages from " + lookalike + " is not from the app (" + APP + "), whatever it"
                    + " has in common with it: refuse it with 403, even with Alice's valid cookie");
        }
        Response forgedLogin = postJson("/session", LOOKALIKES.get(0), null, "{\"name\":\"Mallory\"}");
        assertStatus(403, forgedLogin, "POST /session from " + LOOKALIKES.get(0) + " must be refused: it would log the"
                + " visitor in as Mallory");
        assertStoredCount(0);
    }

    @Test
    @Lesson("§5 Cookies across origins")
    void aMessageIsStoredUnderTheSessionsNameNotTheBodys() {
        String alice = logInFromTheApp("Alice");

        Response posted = postJson("/messages", APP, alice, "{\"author\":\"Bob\",\"text\":\"I owe Alice 100 euros\"}");

        assertStatus(200, posted, "POST /messages from the app with Alice's cookie should be stored");
        assertEquals("{\"id\":1,\"author\":\"Alice\",\"text\":\"I owe Alice 100 euros\"}", posted.body(),
                "POST /messages should answer the message as stored: its id, the session's name, the text");
        Response all = get("/messages?since=0", APP, null);
        String author = com.google.gson.JsonParser.parseString(all.body()).getAsJsonArray().get(0)
                .getAsJsonObject().get("author").getAsString();
        assertEquals("Alice", author, "Alice's session posted a message whose body says \"author\": \"Bob\". Who wrote it"
                + " is what the session cookie says, never what the body claims: anyone can type any name. Stored: " + all.body());
    }

    @Test
    @Lesson("§5 Cookies across origins")
    void theSessionCookieIsHttpOnlyAndSameSiteAndWorksForTheAppOnly() {
        Response login = postJson("/session", APP, null, "{\"name\":\"Alice\"}");
        assertStatus(200, login, "POST /session from the app should log Alice in");
        assertAllowsTheApp(login, "POST /session from the app");
        assertEquals("{\"name\":\"Alice\"}", login.body(), "POST /session should answer the name it logged in");
        String cookie = login.header("Set-Cookie").orElse("(absent)");
        String attributes = cookie.toLowerCase(Locale.ROOT).replace(" ", "");
        assertTrue(cookie.startsWith(CorsApiServer.SESSION_COOKIE + "="), "The session cookie is " + CorsApiServer.SESSION_COOKIE
                + ": Set-Cookie was " + cookie);
        assertTrue(attributes.contains(";httponly"), "The session cookie must be HttpOnly, so no script reads it: " + cookie);
        assertTrue(attributes.contains(";samesite=strict") || attributes.contains(";samesite=lax"),
                "The session cookie must be SameSite=Strict (or Lax), so browsers leave it out of other sites' requests: " + cookie);

        String session = cookie.split(";", 2)[0];
        Response me = get("/session", APP, session);
        assertStatus(200, me, "GET /session from the app with the cookie should say who is logged in");
        assertEquals("{\"name\":\"Alice\"}", me.body(), "GET /session should answer the session's name");
        assertAllowsTheApp(me, "GET /session from the app");

        Response stranger = get("/session", APP, null);
        assertStatus(401, stranger, "GET /session without the cookie should answer 401 Unauthorized");
    }

    @Test
    @Lesson("§6 CSRF: refusing what another site sends")
    void aRequestThatChangesSomethingIsRefusedUnlessItComesFromTheApp() {
        String alice = logInFromTheApp("Alice");
        assertStatus(200, postJson("/messages", APP, alice, "{\"author\":\"Alice\",\"text\":\"from the app\"}"),
                "POST /messages from the app with Alice's cookie should be stored");

        String forged = "{\"author\":\"Alice\",\"text\":\"forged\"}";
        Response fromEvil = postJson("/messages", EVIL, alice, forged);
        assertStatus(403, fromEvil, "POST /messages from " + EVIL + " must be refused with 403, even with Alice's valid cookie");
        assertTrue(fromEvil.body().contains(EVIL), "The 403 should say why in its body, naming the origin it refused"
                + " — the body was: " + fromEvil.body());
        assertStatus(403, postJson("/messages", "null", alice, forged),
                "POST /messages from the origin \"null\" (a sandboxed frame) must be refused with 403");
        assertStatus(403, postJson("/messages", null, alice, forged),
                "POST /messages without an Origin must be refused with 403: every browser sends Origin on a POST, so"
                        + " the app's always carry it");
        assertStatus(403, Http.send("POST", api.url("/messages"), forged,
                        Map.of("Origin", EVIL, "Cookie", alice, "Content-Type", "text/plain")),
                "A \"simple\" text/plain POST from " + EVIL + " must be refused with 403 for its origin (not 415 for its type:"
                        + " the origin check comes first)");
        assertStoredCount(1);

        Response loginCsrf = postJson("/session", EVIL, null, "{\"name\":\"Mallory\"}");
        assertStatus(403, loginCsrf, "POST /session from " + EVIL + " must be refused: it would log the visitor in as Mallory");
        assertFalse(loginCsrf.header("Set-Cookie").isPresent(), "A refused login must not set a cookie");
    }

    @Test
    @Lesson("§8 Errors the app can read")
    void errorsCarryCorsHeadersSoTheAppCanReadThem() {
        Response anonymous = postJson("/messages", APP, null, "{\"author\":\"Alice\",\"text\":\"hi\"}");
        assertStatus(401, anonymous, "POST /messages without a session should answer 401 Unauthorized");
        assertAllowsTheApp(anonymous, "The 401 answer to the app");

        String alice = logInFromTheApp("Alice");
        Response malformed = postJson("/messages", APP, alice, "{\"author\":\"Alice\",\"text\":");
        assertStatus(400, malformed, "Malformed JSON should be refused with 400");
        assertAllowsTheApp(malformed, "The 400 answer to the app");

        Response tooLong = postJson("/messages", APP, alice, "{\"author\":\"Alice\",\"text\":\"" + "x".repeat(501) + "\"}");
        assertStatus(413, tooLong, "A text over 500 characters should be refused with 413");

        Response noName = postJson("/session", APP, null, "{\"name\":\"  \"}");
        assertStatus(400, noName, "Logging in with a blank name should be refused with 400");
        assertAllowsTheApp(noName, "The 400 answer to the app's login");

        Response badCursor = get("/messages?since=abc", APP, null);
        assertStatus(400, badCursor, "since=abc is not a number: 400");
        assertAllowsTheApp(badCursor, "The 400 answer to the app's poll");
        assertStoredCount(0);
    }
}

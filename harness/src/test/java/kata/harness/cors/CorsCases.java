package kata.harness.cors;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CORS cases: each a page on {@code http://localhost:<port>} calling the API on {@code http://127.0.0.1:<port>}
 * and what a browser that keeps the Fetch standard must show — the page's outcome and what reached the server.
 * Written from the standard (the section is named in each rule's test class); run by the harness's browser
 * ({@code *Test} in this package) and by real Chromium ({@code kata.realbrowser.CorsRulesInChromiumTest}), the
 * same page and the same table.
 *
 * <p>A step's query tells the server how to answer (see {@link CorsCaseServer}); {@code origin} stands for the
 * page's origin. The page's outcome: {@code 200}, or {@code network error}, then what it read.
 */
public final class CorsCases {

    /** One request of a case, as the page makes it. */
    public static final class Step {
        final String api;
        final String method;
        final String query;
        final List<List<String>> headers = new ArrayList<>();
        String body;
        boolean credentials;
        boolean sameOrigin;
        final List<String> read = new ArrayList<>();
        boolean all;

        private Step(String api, String method, String query) {
            this.api = api;
            this.method = method;
            this.query = query;
        }

        Step header(String name, String value) {
            headers.add(List.of(name, value));
            return this;
        }

        Step body(String text) {
            body = text;
            return this;
        }

        /** {@code withCredentials = true}, or fetch's {@code credentials: 'include'}. */
        Step credentials() {
            credentials = true;
            return this;
        }

        Step sameOrigin() {
            sameOrigin = true;
            return this;
        }

        Step read(String... names) {
            read.addAll(Arrays.asList(names));
            return this;
        }

        /** Notes the names {@code getAllResponseHeaders()} (or fetch's {@code headers}) lists. */
        Step all() {
            all = true;
            return this;
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("api", api);
            json.put("method", method);
            json.put("query", query);
            json.put("headers", headers);
            json.put("body", body);
            json.put("credentials", credentials);
            json.put("sameOrigin", sameOrigin);
            json.put("read", read);
            json.put("all", all);
            return json;
        }
    }

    /** A case: its rule, a fact-named description, its steps, and what the page and the server must see. */
    public record Case(String rule, String id, String fact, List<Step> steps, String page, String wire) {
        @Override
        public String toString() {
            return fact;
        }
    }

    public static final String CORS_CHECK = "CORS check";
    public static final String SAFELISTS = "when a preflight is sent";
    public static final String PREFLIGHT = "the preflight";
    public static final String EXPOSED = "exposed headers";
    public static final String CACHE = "preflight cache";

    private static final String ALL_ALLOWED = "pfAcao=origin&pfAcam=PUT,DELETE,PATCH&pfAcah=*&acao=*";
    private static final String LONG = "a".repeat(120);

    private static final List<Case> CASES = List.of(
            // Fetch §4.9 "CORS check"
            c(CORS_CHECK, "no-acao", "a response without Access-Control-Allow-Origin is a network error",
                    "network error", "GET", xhr("GET", "")),
            c(CORS_CHECK, "star-acao", "Access-Control-Allow-Origin star lets a request without credentials through",
                    "200", "GET", xhr("GET", "acao=*")),
            c(CORS_CHECK, "exact-acao", "Access-Control-Allow-Origin naming the page's origin lets it through",
                    "200", "GET", xhr("GET", "acao=origin")),
            c(CORS_CHECK, "acao-slash", "the origin with a trailing slash is another origin",
                    "network error", "GET", xhr("GET", "acao=origin/")),
            c(CORS_CHECK, "acao-case", "the origin is compared exactly, case included",
                    "network error", "GET", xhr("GET", "acao=ORIGIN")),
            c(CORS_CHECK, "acao-other", "another origin is refused",
                    "network error", "GET", xhr("GET", "acao=http://example.com")),
            c(CORS_CHECK, "acao-twice", "Access-Control-Allow-Origin twice is refused, even naming the page twice",
                    "network error", "GET", xhr("GET", "acao=origin&acao=origin")),
            c(CORS_CHECK, "star-credentials", "star is no wildcard when credentials are included",
                    "network error", "GET", xhr("GET", "acao=*&acac=true").credentials()),
            c(CORS_CHECK, "credentials-true", "with credentials the exact origin and Allow-Credentials true pass",
                    "200", "GET", xhr("GET", "acao=origin&acac=true").credentials()),
            c(CORS_CHECK, "credentials-absent", "with credentials a response without Allow-Credentials is refused",
                    "network error", "GET", xhr("GET", "acao=origin").credentials()),
            c(CORS_CHECK, "credentials-TRUE", "Allow-Credentials must be exactly true, lower case",
                    "network error", "GET", xhr("GET", "acao=origin&acac=TRUE").credentials()),
            c(CORS_CHECK, "no-credentials-ignores-acac", "without credentials Allow-Credentials is not looked at",
                    "200", "GET", xhr("GET", "acao=origin&acac=false")),
            // Fetch §4.4 "HTTP-redirect fetch": a redirect in CORS mode passes the CORS check itself
            c(CORS_CHECK, "redirect-checked", "a redirect is followed when it and its target pass the CORS check",
                    "200", "GET, GET", xhr("GET", "hop&hopAcao=*&acao=*")),
            c(CORS_CHECK, "redirect-unchecked", "a redirect without Access-Control-Allow-Origin is a network error",
                    "network error", "GET", xhr("GET", "hop&acao=*")),
            c(CORS_CHECK, "redirect-origin-kept", "after a redirect within the API's origin the page's origin is still asked for",
                    "200", "GET, GET", xhr("GET", "hop&hopAcao=origin&acao=origin")),
            c(CORS_CHECK, "fetch-star-include", "fetch with credentials include is refused a star too",
                    "network error", "GET", fetch("GET", "acao=*&acac=true").credentials()),
            c(CORS_CHECK, "fetch-exact", "fetch passes the same check as XHR",
                    "200", "GET", fetch("GET", "acao=origin")),

            // Fetch §2.2.1 CORS-safelisted method, §2.2.2 CORS-safelisted request-header, §4.1 main fetch step 12
            c(SAFELISTS, "get", "a GET without headers is sent without a preflight",
                    "200", "GET", xhr("GET", ALL_ALLOWED)),
            c(SAFELISTS, "head", "a HEAD is sent without a preflight",
                    "200", "HEAD", xhr("HEAD", ALL_ALLOWED)),
            c(SAFELISTS, "post-text", "a POST of text/plain is sent without a preflight",
                    "200", "POST", xhr("POST", ALL_ALLOWED).header("Content-Type", "text/plain").body("hi")),
            c(SAFELISTS, "post-text-charset", "text/plain with parameters is still safelisted",
                    "200", "POST", xhr("POST", ALL_ALLOWED).header("Content-Type", "text/plain; charset=utf-8").body("hi")),
            c(SAFELISTS, "post-form", "a POST of a form's urlencoded type is sent without a preflight",
                    "200", "POST", xhr("POST", ALL_ALLOWED).header("Content-Type", "application/x-www-form-urlencoded").body("a=1")),
            c(SAFELISTS, "post-multipart", "a POST of multipart/form-data is sent without a preflight",
                    "200", "POST", xhr("POST", ALL_ALLOWED).header("Content-Type", "multipart/form-data; boundary=x").body("--x--")),
            c(SAFELISTS, "post-json", "a POST of JSON is preflighted, naming content-type",
                    "200", "OPTIONS acrm=POST acrh=content-type, POST",
                    xhr("POST", ALL_ALLOWED).header("Content-Type", "application/json").body("{}")),
            c(SAFELISTS, "fetch-json", "fetch preflights JSON too",
                    "200", "OPTIONS acrm=POST acrh=content-type, POST",
                    fetch("POST", ALL_ALLOWED).header("Content-Type", "application/json").body("{}")),
            c(SAFELISTS, "put", "a PUT is preflighted", "200", "OPTIONS acrm=PUT, PUT", xhr("PUT", ALL_ALLOWED)),
            c(SAFELISTS, "delete", "a DELETE is preflighted", "200", "OPTIONS acrm=DELETE, DELETE", xhr("DELETE", ALL_ALLOWED)),
            c(SAFELISTS, "put-lower-case", "open('put') is normalized to PUT",
                    "200", "OPTIONS acrm=PUT, PUT", xhr("put", ALL_ALLOWED)),
            c(SAFELISTS, "post-string-body", "a POST of a string without Content-Type is sent without a preflight",
                    "200", "POST", xhr("POST", ALL_ALLOWED).body("hi")),
            c(SAFELISTS, "accept-language-ok", "an Accept-Language with q-values is safelisted",
                    "200", "GET", xhr("GET", ALL_ALLOWED).header("Accept-Language", "en-US,en;q=0.9")),
            c(SAFELISTS, "range", "a Range of one simple byte range is sent without a preflight",
                    "200", "GET", xhr("GET", ALL_ALLOWED).header("Range", "bytes=0-1")),
            c(SAFELISTS, "range-open-end", "a Range without an end is still simple",
                    "200", "GET", xhr("GET", ALL_ALLOWED).header("Range", "bytes=5-")),
            c(SAFELISTS, "range-suffix", "a suffix Range is preflighted",
                    "200", "OPTIONS acrm=GET acrh=range, GET", xhr("GET", ALL_ALLOWED).header("Range", "bytes=-5")),
            c(SAFELISTS, "range-two", "two ranges are preflighted",
                    "200", "OPTIONS acrm=GET acrh=range, GET", xhr("GET", ALL_ALLOWED).header("Range", "bytes=0-1,3-4")),
            c(SAFELISTS, "range-backwards", "a Range whose end comes before its start is preflighted",
                    "200", "OPTIONS acrm=GET acrh=range, GET", xhr("GET", ALL_ALLOWED).header("Range", "bytes=5-1")),
            c(SAFELISTS, "empty-custom-header", "a header of the page's own is preflighted even empty",
                    "200", "OPTIONS acrm=GET acrh=x-custom, GET", xhr("GET", ALL_ALLOWED).header("X-Custom", "")),
            c(SAFELISTS, "patch-lower-case", "open('patch') is not normalized: Allow-Methods PATCH does not allow it",
                    "network error", "OPTIONS acrm=patch", xhr("patch", "pfAcao=origin&pfAcam=PATCH&acao=*")),
            c(SAFELISTS, "patch-upper-case", "open('PATCH') is allowed by Allow-Methods PATCH",
                    "200", "OPTIONS acrm=PATCH, PATCH", xhr("PATCH", "pfAcao=origin&pfAcam=PATCH&acao=*")),
            c(SAFELISTS, "custom-header", "a header of the page's own is preflighted",
                    "200", "OPTIONS acrm=GET acrh=x-custom, GET", xhr("GET", ALL_ALLOWED).header("X-Custom", "1")),
            c(SAFELISTS, "header-names-sorted", "the preflight names the headers lower-cased, sorted, comma-joined",
                    "200", "OPTIONS acrm=PUT acrh=content-type,x-a,x-b, PUT",
                    xhr("PUT", ALL_ALLOWED).header("X-B", "1").header("X-a", "1").header("Content-Type", "application/json").body("{}")),
            c(SAFELISTS, "safelisted-not-named", "safelisted headers are not named in the preflight",
                    "200", "OPTIONS acrm=GET acrh=x-custom, GET",
                    xhr("GET", ALL_ALLOWED).header("X-Custom", "1").header("Accept", "text/plain").header("Content-Language", "en")),
            c(SAFELISTS, "accept-128", "an Accept of 128 bytes is still safelisted",
                    "200", "GET", xhr("GET", ALL_ALLOWED).header("Accept", "text/" + "a".repeat(123))),
            c(SAFELISTS, "accept-129", "an Accept longer than 128 bytes is preflighted",
                    "200", "OPTIONS acrm=GET acrh=accept, GET", xhr("GET", ALL_ALLOWED).header("Accept", "text/" + "a".repeat(124))),
            c(SAFELISTS, "accept-unsafe-byte", "an Accept with a CORS-unsafe byte is preflighted",
                    "200", "OPTIONS acrm=GET acrh=accept, GET", xhr("GET", ALL_ALLOWED).header("Accept", "text/\"x\"")),
            c(SAFELISTS, "content-language-ok", "a Content-Language of letters, digits and - is safelisted",
                    "200", "GET", xhr("GET", ALL_ALLOWED).header("Content-Language", "en-US")),
            c(SAFELISTS, "content-language-unsafe", "a Content-Language with another byte is preflighted",
                    "200", "OPTIONS acrm=GET acrh=content-language, GET",
                    xhr("GET", ALL_ALLOWED).header("Content-Language", "en/US")),
            c(SAFELISTS, "accept-language-unsafe", "an Accept-Language with another byte is preflighted",
                    "200", "OPTIONS acrm=GET acrh=accept-language, GET",
                    xhr("GET", ALL_ALLOWED).header("Accept-Language", "en@x")),
            c(SAFELISTS, "content-type-unsafe-byte", "a safelisted Content-Type with a CORS-unsafe byte is preflighted",
                    "200", "OPTIONS acrm=POST acrh=content-type, POST",
                    xhr("POST", ALL_ALLOWED).header("Content-Type", "text/plain; a=\"b\"").body("hi")),
            c(SAFELISTS, "content-type-long", "a safelisted Content-Type longer than 128 bytes is preflighted",
                    "200", "OPTIONS acrm=POST acrh=content-type, POST",
                    xhr("POST", ALL_ALLOWED).header("Content-Type", "text/plain; a=" + LONG).body("hi")),

            // Fetch §4.8 "CORS-preflight fetch"
            c(PREFLIGHT, "no-request-headers-line", "a preflight without unsafe headers has no Access-Control-Request-Headers",
                    "200", "OPTIONS acrm=PUT, PUT", xhr("PUT", "pfAcao=origin&pfAcam=PUT&acao=*")),
            c(PREFLIGHT, "status-404", "a preflight answered 404 is a network error and the request is not sent",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pf=404&pfAcao=origin&pfAcam=PUT&acao=*")),
            c(PREFLIGHT, "status-304", "a preflight's status must be ok (2xx): 304 is not",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pf=304&pfAcao=origin&pfAcam=PUT&acao=*")),
            c(PREFLIGHT, "status-200", "a preflight answered 200 is as good as 204",
                    "200", "OPTIONS acrm=PUT, PUT", xhr("PUT", "pf=200&pfAcao=origin&pfAcam=PUT&acao=*")),
            c(PREFLIGHT, "preflight-no-acao", "a preflight without Access-Control-Allow-Origin fails",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pfAcam=PUT&acao=*")),
            c(PREFLIGHT, "methods-missing", "a method Access-Control-Allow-Methods does not list is refused",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pfAcao=origin&pfAcam=POST,DELETE&acao=*")),
            c(PREFLIGHT, "methods-absent", "no Access-Control-Allow-Methods allows no unsafe method",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pfAcao=origin&acao=*")),
            c(PREFLIGHT, "methods-case", "methods are compared case-sensitively: put does not allow PUT",
                    "network error", "OPTIONS acrm=PUT", xhr("PUT", "pfAcao=origin&pfAcam=put&acao=*")),
            c(PREFLIGHT, "methods-list", "a method anywhere in the list, in any of its lines, is allowed",
                    "200", "OPTIONS acrm=DELETE, DELETE", xhr("DELETE", "pfAcao=origin&pfAcam=GET,%20PUT&pfAcam=DELETE&acao=*")),
            c(PREFLIGHT, "methods-star", "Allow-Methods star allows any method without credentials",
                    "200", "OPTIONS acrm=DELETE, DELETE", xhr("DELETE", "pfAcao=origin&pfAcam=*&acao=*")),
            c(PREFLIGHT, "methods-star-credentials", "Allow-Methods star is no wildcard with credentials",
                    "network error", "OPTIONS acrm=DELETE",
                    xhr("DELETE", "pfAcao=origin&pfAcac=true&pfAcam=*&acao=origin&acac=true").credentials()),
            c(PREFLIGHT, "methods-named-credentials", "with credentials a named method is allowed",
                    "200", "OPTIONS acrm=DELETE, DELETE",
                    xhr("DELETE", "pfAcao=origin&pfAcac=true&pfAcam=DELETE&acao=origin&acac=true").credentials()),
            c(PREFLIGHT, "safelisted-method-unlisted", "a safelisted method needs no listing",
                    "200", "OPTIONS acrm=POST acrh=x-custom, POST",
                    xhr("POST", "pfAcao=origin&pfAcah=X-Custom&acao=*").header("X-Custom", "1").body("hi")),
            c(PREFLIGHT, "headers-missing", "a header Access-Control-Allow-Headers does not list is refused",
                    "network error", "OPTIONS acrm=GET acrh=x-custom",
                    xhr("GET", "pfAcao=origin&pfAcah=X-Other&acao=*").header("X-Custom", "1")),
            c(PREFLIGHT, "headers-case", "header names are compared case-insensitively",
                    "200", "OPTIONS acrm=GET acrh=x-custom, GET",
                    xhr("GET", "pfAcao=origin&pfAcah=x-CUSTOM&acao=*").header("X-Custom", "1")),
            c(PREFLIGHT, "headers-star", "Allow-Headers star allows any header without credentials",
                    "200", "OPTIONS acrm=GET acrh=x-custom, GET",
                    xhr("GET", "pfAcao=origin&pfAcah=*&acao=*").header("X-Custom", "1")),
            c(PREFLIGHT, "headers-star-credentials", "Allow-Headers star is no wildcard with credentials",
                    "network error", "OPTIONS acrm=GET acrh=x-custom",
                    xhr("GET", "pfAcao=origin&pfAcac=true&pfAcah=*&acao=origin&acac=true").header("X-Custom", "1").credentials()),
            // The standard says star never covers Authorization; Chromium 156 lets it (as the harness's browser does).
            c(PREFLIGHT, "headers-star-authorization", "Allow-Headers star covers Authorization too, as in Chromium",
                    "200", "OPTIONS acrm=GET acrh=authorization, GET",
                    xhr("GET", "pfAcao=origin&pfAcah=*&acao=*").header("Authorization", "Bearer x")),
            c(PREFLIGHT, "headers-named-authorization", "Authorization named in Allow-Headers is allowed",
                    "200", "OPTIONS acrm=GET acrh=authorization, GET",
                    xhr("GET", "pfAcao=origin&pfAcah=Authorization&acao=*").header("Authorization", "Bearer x")),
            c(PREFLIGHT, "preflight-credentials-absent", "with credentials the preflight needs Allow-Credentials true too",
                    "network error", "OPTIONS acrm=PUT",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT&acao=origin&acac=true").credentials()),
            c(PREFLIGHT, "preflight-star-credentials", "with credentials the preflight's origin star is refused",
                    "network error", "OPTIONS acrm=PUT",
                    xhr("PUT", "pfAcao=*&pfAcac=true&pfAcam=PUT&acao=origin&acac=true").credentials()),
            c(PREFLIGHT, "actual-still-checked", "after a passing preflight the response itself is checked again",
                    "network error", "OPTIONS acrm=PUT, PUT", xhr("PUT", "pfAcao=origin&pfAcam=PUT")),

            // Fetch §2.2.6 CORS-safelisted response-header name, Access-Control-Expose-Headers; XHR getResponseHeader
            c(EXPOSED, "unexposed", "a header the server did not expose reads as null; safelisted ones read",
                    "200 x-custom=null content-language=en access-control-allow-origin=null",
                    "GET", xhr("GET", "acao=*").read("x-custom", "content-language", "access-control-allow-origin")),
            c(EXPOSED, "exposed-named", "a header named in Access-Control-Expose-Headers reads",
                    "200 x-custom=custom", "GET", xhr("GET", "acao=*&aceh=X-Custom").read("x-custom")),
            c(EXPOSED, "exposed-case", "exposed names are compared case-insensitively",
                    "200 X-Custom=custom", "GET", xhr("GET", "acao=*&aceh=x-CUSTOM").read("X-Custom")),
            c(EXPOSED, "exposed-star", "Expose-Headers star exposes every header without credentials",
                    "200 x-custom=custom", "GET", xhr("GET", "acao=*&aceh=*").read("x-custom")),
            c(EXPOSED, "exposed-star-credentials", "Expose-Headers star exposes nothing with credentials",
                    "200 x-custom=null", "GET", xhr("GET", "acao=origin&acac=true&aceh=*").read("x-custom").credentials()),
            c(EXPOSED, "exposed-named-credentials", "with credentials a named header is exposed",
                    "200 x-custom=custom", "GET",
                    xhr("GET", "acao=origin&acac=true&aceh=X-Custom").read("x-custom").credentials()),
            c(EXPOSED, "all-safelisted", "getAllResponseHeaders lists only the safelisted headers",
                    "200 all=cache-control,content-language,content-length,content-type", "GET", xhr("GET", "acao=*").all()),
            c(EXPOSED, "all-exposed", "getAllResponseHeaders lists the exposed ones too",
                    "200 all=cache-control,content-language,content-length,content-type,x-custom", "GET",
                    xhr("GET", "acao=*&aceh=X-Custom").all()),
            c(EXPOSED, "exposed-list", "Expose-Headers is a comma-separated list, spaces allowed",
                    "200 x-custom=custom", "GET", xhr("GET", "acao=*&aceh=X-Other%20,%20X-Custom").read("x-custom")),
            c(CORS_CHECK, "acao-null", "Access-Control-Allow-Origin null is not the page's origin",
                    "network error", "GET", xhr("GET", "acao=null")),
            c(EXPOSED, "set-cookie-never", "Set-Cookie is never readable, not even exposed",
                    "200 set-cookie=null", "GET", xhr("GET", "acao=*&aceh=Set-Cookie").read("set-cookie")),
            c(EXPOSED, "same-origin-reads-all", "a same-origin response reads every header but Set-Cookie",
                    "200 x-custom=custom set-cookie=null", "GET", xhr("GET", "").sameOrigin().read("x-custom", "set-cookie")),
            c(EXPOSED, "fetch-unexposed", "fetch's response headers follow the same exposure",
                    "200 x-custom=null content-language=en", "GET", fetch("GET", "acao=*").read("x-custom", "content-language")),
            c(EXPOSED, "fetch-exposed", "fetch reads a header named in Expose-Headers",
                    "200 x-custom=custom", "GET", fetch("GET", "acao=*&aceh=X-Custom").read("x-custom")),

            // Fetch §4.9 "CORS-preflight cache"
            c(CACHE, "cached", "a second request within Access-Control-Max-Age is sent without a preflight",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, PUT",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*"), xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*")),
            c(CACHE, "max-age-0", "Access-Control-Max-Age 0 caches nothing",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, OPTIONS acrm=PUT, PUT",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=0&acao=*"), xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=0&acao=*")),
            c(CACHE, "other-url", "the cache is per URL",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, OPTIONS acrm=PUT, PUT",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*"), xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*&other")),
            c(CACHE, "listed-methods", "every method the preflight allowed is cached, not only the one asked",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, DELETE",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT,DELETE&pfMaxAge=600&acao=*"),
                    xhr("DELETE", "pfAcao=origin&pfAcam=PUT,DELETE&pfMaxAge=600&acao=*")),
            c(CACHE, "other-method", "a method the cached answer did not allow is preflighted again",
                    "200 | network error", "OPTIONS acrm=PUT, PUT, OPTIONS acrm=DELETE",
                    xhr("PUT", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*"),
                    xhr("DELETE", "pfAcao=origin&pfAcam=PUT&pfMaxAge=600&acao=*")),
            c(CACHE, "other-header", "a header the cached answer did not allow is preflighted again",
                    "200 | network error", "OPTIONS acrm=GET acrh=x-a, GET, OPTIONS acrm=GET acrh=x-b",
                    xhr("GET", "pfAcao=origin&pfAcah=X-A&pfMaxAge=600&acao=*").header("X-A", "1"),
                    xhr("GET", "pfAcao=origin&pfAcah=X-A&pfMaxAge=600&acao=*").header("X-B", "1")),
            c(CACHE, "credentials-after-none", "an answer cached without credentials does not serve a request with them",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, OPTIONS acrm=PUT, PUT",
                    xhr("PUT", "pfAcao=origin&pfAcac=true&pfAcam=PUT&pfMaxAge=600&acao=origin&acac=true"),
                    xhr("PUT", "pfAcao=origin&pfAcac=true&pfAcam=PUT&pfMaxAge=600&acao=origin&acac=true").credentials()),
            c(CACHE, "none-after-credentials", "an answer cached with credentials serves a request without them",
                    "200 | 200", "OPTIONS acrm=PUT, PUT, PUT",
                    xhr("PUT", "pfAcao=origin&pfAcac=true&pfAcam=PUT&pfMaxAge=600&acao=origin&acac=true").credentials(),
                    xhr("PUT", "pfAcao=origin&pfAcac=true&pfAcam=PUT&pfMaxAge=600&acao=origin&acac=true")));

    private CorsCases() {
    }

    public static List<Case> all() {
        return CASES;
    }

    public static List<Case> of(String rule) {
        return CASES.stream().filter(c -> c.rule().equals(rule)).toList();
    }

    /** The table as the page reads it. */
    static String json() {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Case c : CASES) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", c.id());
            one.put("steps", c.steps().stream().map(Step::json).toList());
            json.add(one);
        }
        return new Gson().toJson(json);
    }

    private static Case c(String rule, String id, String fact, String page, String wire, Step... steps) {
        return new Case(rule, id, fact, List.of(steps), page, wire);
    }

    private static Step xhr(String method, String query) {
        return new Step("xhr", method, query);
    }

    private static Step fetch(String method, String query) {
        return new Step("fetch", method, query);
    }
}

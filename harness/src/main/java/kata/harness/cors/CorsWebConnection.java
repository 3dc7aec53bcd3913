package kata.harness.cors;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kata.harness.WebOrigin;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.WebResponseData;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebConnectionWrapper;

/**
 * The Fetch standard's CORS protocol for every request a page's {@code XMLHttpRequest} (and so HtmlUnit's
 * {@code fetch} polyfill, which is built on it) sends, done between HtmlUnit and the network.
 *
 * <h2>Why here, in the WebConnection</h2>
 * HtmlUnit 5.7.0 does CORS inside {@code XMLHttpRequest} in private methods ({@code isPreflight},
 * {@code sendPreflight}, {@code isPreflightAuthorized}, {@code isCorsAllowed}) that cannot be overridden, and
 * the class cannot be swapped for a subclass in a page. But every request it makes, its own preflight
 * included, passes through the client's {@code WebConnection}, and each XHR request is marked there
 * (fetch mode {@code cors}, its page's URL as "requesting URL", {@code BlockCookies} when credentials are not
 * included). So this wrapper takes the protocol over:
 * <ul>
 *   <li>HtmlUnit's own preflight (an {@code OPTIONS} without fetch mode, carrying
 *       {@code Access-Control-Request-Method}) never reaches the network: it is answered here with a response
 *       that passes HtmlUnit's checks, since HtmlUnit decides when to preflight and what to check by rules that
 *       are not the standard's.</li>
 *   <li>For the actual cross-origin request it decides, by the standard's rules, whether a preflight is needed
 *       (method, CORS-unsafe header names, the preflight cache), sends it as a browser does, checks its answer
 *       (CORS check, ok status, allowed methods and headers, wildcards only without credentials), keeps it in
 *       the {@link PreflightCache}, then sends the request and runs the CORS check on its response.</li>
 *   <li>A refusal is thrown as an {@link IOException}: HtmlUnit's XHR turns it into a network error, exactly
 *       what a browser shows a page ({@code onerror}, status 0, a rejected {@code fetch}).</li>
 *   <li>A CORS response reaches the page as a {@link CorsFilteredResponse}, whose header list holds only the
 *       headers the page may read; {@link ExposedHeaders} makes {@code getResponseHeader} agree with it.</li>
 * </ul>
 * Every check here is stricter than HtmlUnit's own, so HtmlUnit never refuses what this lets through.
 */
final class CorsWebConnection extends WebConnectionWrapper {

    /** Told of each request the CORS protocol stops, with the reason a browser's console would give. */
    interface RefusalListener {
        RefusalListener NONE = (request, reason) -> { };

        void refused(WebRequest request, String reason);
    }

    private final PreflightCache cache;
    private final PageMethodNames methodNames;
    private final RefusalListener listener;

    CorsWebConnection(WebClient client, PreflightCache cache, PageMethodNames methodNames, RefusalListener listener) {
        super(client);
        this.cache = cache;
        this.methodNames = methodNames;
        this.listener = listener;
    }

    @Override
    public WebResponse getResponse(WebRequest request) throws IOException {
        if (isHtmlUnitsOwnPreflight(request)) {
            return passingAnswerTo(request);
        }
        if (request.getFetchModeOverride() != WebRequest.FetchMode.CORS
                || request.getFetchDestination() != WebRequest.FetchDestination.EMPTY) {
            // Navigations, forms, scripts and images: not XHR or fetch. (HtmlUnit puts an <img crossorigin> in
            // CORS mode too, but marks no credentials mode on it: left as HtmlUnit does it.)
            return super.getResponse(request);
        }
        String origin = originOf(request);
        if (origin.equals(WebOrigin.of(request.getUrl()))) {
            return new CorsFilteredResponse(super.getResponse(request), name -> true); // same origin: basic
        }
        boolean credentials = !request.hasHint(WebRequest.HttpHint.BlockCookies);
        String method = methodNames.of(request); // as the page wrote it: 'patch' stays 'patch'
        List<String> unsafeHeaders = CorsRules.unsafeRequestHeaderNames(request.getAdditionalHeaders());
        String url = request.getUrl().toExternalForm();
        if ((!CorsRules.isSafelistedMethod(method) || !unsafeHeaders.isEmpty())
                && !cache.covers(origin, url, credentials, method, unsafeHeaders)) {
            preflight(request, origin, credentials, method, unsafeHeaders);
        }
        WebResponse response = super.getResponse(request);
        String refusal = corsCheck(response, origin, credentials);
        if (refusal != null) {
            throw refuse(request, refusal);
        }
        return new CorsFilteredResponse(response, exposedNames(response, credentials));
    }

    /** Fetch §4.8 "CORS-preflight fetch": send it, check it, cache it; a refusal is thrown. */
    private void preflight(WebRequest actual, String origin, boolean credentials, String method,
            List<String> unsafeHeaders) throws IOException {
        WebRequest preflight = new WebRequest(actual.getUrl(), HttpMethod.OPTIONS);
        preflight.setAdditionalHeader("Accept", "*/*");
        preflight.setAdditionalHeader("Access-Control-Request-Method", method);
        if (!unsafeHeaders.isEmpty()) {
            preflight.setAdditionalHeader("Access-Control-Request-Headers", String.join(",", unsafeHeaders));
        }
        preflight.setAdditionalHeader("Origin", origin);
        // Marked as the XHR's own request is, so that HtmlUnit's connection sends the Sec-Fetch-* headers Chromium
        // sends on a preflight (Mode cors, Dest empty, Site as seen from the page), and no body type.
        preflight.setFetchModeOverride(WebRequest.FetchMode.CORS);
        preflight.setFetchDestination(WebRequest.FetchDestination.EMPTY);
        preflight.setRequestingUrl(actual.getRequestingUrl());
        preflight.setEncodingType(null);
        String referer = actual.getAdditionalHeader("Referer");
        if (referer != null) {
            preflight.setAdditionalHeader("Referer", referer);
        }
        preflight.addHint(WebRequest.HttpHint.BlockCookies); // a preflight never carries credentials
        preflight.addHint(WebRequest.HttpHint.DoNotFollowRedirects);
        preflight.setTimeout(actual.getTimeout());
        WebResponse answer = super.getResponse(preflight);
        String refusal = corsCheck(answer, origin, credentials);
        if (refusal == null && (answer.getStatusCode() < 200 || answer.getStatusCode() > 299)) {
            refusal = "the preflight's status is " + answer.getStatusCode() + ", not ok (2xx)";
        }
        PreflightCache.Allowance allowance = null;
        if (refusal == null) {
            Set<String> methods = new TreeSet<>(CorsRules.listValues(values(answer, "Access-Control-Allow-Methods")));
            Set<String> headers = new TreeSet<>();
            for (String name : CorsRules.listValues(values(answer, "Access-Control-Allow-Headers"))) {
                headers.add(name.toLowerCase(Locale.ROOT));
            }
            allowance = new PreflightCache.Allowance(credentials, methods, headers);
            refusal = allowance.refusal(credentials, method, unsafeHeaders);
        }
        if (refusal != null) {
            throw refuse(actual, "preflight: " + refusal);
        }
        cache.store(origin, actual.getUrl().toExternalForm(), allowance,
                PreflightCache.maxAge(answer.getResponseHeaderValue("Access-Control-Max-Age")));
    }

    /** Fetch §4.9 "CORS check": why the response is refused, or null when it passes. */
    static String corsCheck(WebResponse response, String origin, boolean credentials) {
        List<String> allowOrigin = values(response, "Access-Control-Allow-Origin");
        if (allowOrigin.isEmpty()) {
            return "no Access-Control-Allow-Origin";
        }
        if (allowOrigin.size() > 1) {
            return "Access-Control-Allow-Origin appears " + allowOrigin.size() + " times";
        }
        String value = allowOrigin.get(0);
        if (value.equals("*") && !credentials) {
            return null;
        }
        if (value.equals("*")) {
            return "Access-Control-Allow-Origin '*' is no wildcard when credentials are included";
        }
        if (!value.equals(origin)) {
            return "Access-Control-Allow-Origin '" + value + "' is not the page's origin '" + origin + "'";
        }
        if (credentials) {
            List<String> allowCredentials = values(response, "Access-Control-Allow-Credentials");
            if (allowCredentials.size() != 1 || !allowCredentials.get(0).equals("true")) {
                return "credentials are included but Access-Control-Allow-Credentials is "
                        + (allowCredentials.isEmpty() ? "absent" : allowCredentials) + ", not exactly 'true'";
            }
        }
        return null;
    }

    /**
     * Which response headers the page may read (Fetch "CORS-filtered response"): the safelisted ones, those
     * {@code Access-Control-Expose-Headers} names, and all when it says {@code *} and no credentials were
     * included (with credentials {@code *} is just a strange header name).
     */
    private static CorsFilteredResponse.Exposure exposedNames(WebResponse response, boolean credentials) {
        Set<String> exposed = new TreeSet<>(CorsRules.SAFELISTED_RESPONSE_HEADERS);
        for (String name : CorsRules.listValues(values(response, "Access-Control-Expose-Headers"))) {
            exposed.add(name.toLowerCase(Locale.ROOT));
        }
        if (!credentials && exposed.contains("*")) {
            return name -> true;
        }
        return name -> exposed.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Every line of a response header, in order (HtmlUnit's getResponseHeaderValue gives only the first). */
    private static List<String> values(WebResponse response, String name) {
        List<String> values = new ArrayList<>();
        for (NameValuePair header : response.getResponseHeaders()) {
            if (header.getName().equalsIgnoreCase(name)) {
                values.add(header.getValue() == null ? "" : header.getValue().strip());
            }
        }
        return values;
    }

    private IOException refuse(WebRequest request, String reason) {
        listener.refused(request, reason);
        return new IOException("Blocked by the CORS policy: " + reason);
    }

    private static boolean isHtmlUnitsOwnPreflight(WebRequest request) {
        return request.getHttpMethod() == HttpMethod.OPTIONS
                && request.getFetchModeOverride() != WebRequest.FetchMode.CORS
                && request.getAdditionalHeader("Access-Control-Request-Method") != null;
    }

    /** What HtmlUnit's preflight check accepts, so that the decision is left to {@link #getResponse}. */
    private static WebResponse passingAnswerTo(WebRequest preflight) {
        Map<String, String> headers = new LinkedHashMap<>();
        String origin = preflight.getAdditionalHeader("Origin");
        headers.put("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        headers.put("Access-Control-Allow-Credentials", "true");
        headers.put("Access-Control-Allow-Methods", preflight.getAdditionalHeader("Access-Control-Request-Method"));
        String requested = preflight.getAdditionalHeader("Access-Control-Request-Headers");
        if (requested != null && !requested.isEmpty()) {
            headers.put("Access-Control-Allow-Headers", requested);
        }
        List<NameValuePair> list = new ArrayList<>();
        headers.forEach((name, value) -> list.add(new NameValuePair(name, value)));
        WebResponseData data = new WebResponseData("".getBytes(StandardCharsets.UTF_8), 204, "No Content", list);
        return new WebResponse(data, preflight, 0);
    }

    /** The request's origin: its Origin header (HtmlUnit sets it on cross-origin requests), else its page's. */
    private static String originOf(WebRequest request) {
        String header = request.getAdditionalHeader("Origin");
        if (header != null) {
            return header;
        }
        URL page = request.getRequestingUrl();
        return page == null ? "null" : WebOrigin.of(page);
    }
}

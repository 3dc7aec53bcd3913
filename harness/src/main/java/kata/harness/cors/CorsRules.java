package kata.harness.cors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Fetch standard's CORS vocabulary, as Chromium applies it: which methods, request headers and response
 * headers are CORS-safelisted, which request headers make a preflight necessary, and how the
 * {@code Access-Control-*} lists are read.
 *
 * <p>Sources: Fetch standard §2.2.2 "Methods" (CORS-safelisted method), §2.2.2 "Headers" (CORS-safelisted
 * request-header, CORS-unsafe request-header names, CORS-safelisted response-header name), and Chromium's
 * {@code services/network/public/cpp/cors/cors.cc}, whose safelist this follows.
 */
public final class CorsRules {

    /** CORS-safelisted response-header names: a page may read these from any CORS response. */
    public static final Set<String> SAFELISTED_RESPONSE_HEADERS = Set.of("cache-control", "content-language",
            "content-length", "content-type", "expires", "last-modified", "pragma");

    /** Forbidden response-header names: a page never reads these, not even from its own origin. */
    public static final Set<String> FORBIDDEN_RESPONSE_HEADERS = Set.of("set-cookie", "set-cookie2");

    private static final Set<String> SAFELISTED_CONTENT_TYPES = Set.of("application/x-www-form-urlencoded",
            "multipart/form-data", "text/plain");

    /** A CORS-safelisted request-header's value may be at most this long (bytes). */
    static final int SAFELISTED_VALUE_MAX = 128;
    /** All CORS-safelisted request-headers' values together may be at most this long (bytes). */
    static final int SAFELISTED_TOTAL_MAX = 1024;

    /**
     * Request headers the browser adds on its own (forbidden request-header names, and the ones HtmlUnit puts
     * into a request's "additional headers" itself): not the page's, so never a reason for a preflight.
     */
    private static final Set<String> ADDED_BY_THE_BROWSER = Set.of("accept-charset", "accept-encoding",
            "access-control-request-headers", "access-control-request-method", "connection", "content-length",
            "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie",
            "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "via");

    private CorsRules() {
    }

    /** GET, HEAD or POST, compared exactly (a method reaches here already normalized). */
    public static boolean isSafelistedMethod(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("POST");
    }

    /**
     * Fetch "CORS-safelisted request-header": {@code Accept}, {@code Accept-Language}, {@code Content-Language},
     * {@code Content-Type} whose MIME type is one of the three a form can send, or {@code Range} with one simple
     * byte range (Chromium 156 agrees); each value at most 128 bytes and free of the bytes the standard calls
     * CORS-unsafe.
     */
    public static boolean isSafelistedRequestHeader(String name, String value) {
        if (value.length() > SAFELISTED_VALUE_MAX) {
            return false;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "accept":
                return value.chars().noneMatch(CorsRules::isUnsafeByte);
            case "accept-language":
            case "content-language":
                return value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
                        || (c >= 'a' && c <= 'z') || c == ' ' || c == '*' || c == ',' || c == '-' || c == '.'
                        || c == ';' || c == '=');
            case "content-type":
                if (value.chars().anyMatch(CorsRules::isUnsafeByte)) {
                    return false;
                }
                String essence = value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                return SAFELISTED_CONTENT_TYPES.contains(essence);
            case "range":
                return isSimpleRange(value);
            default:
                return false;
        }
    }

    /**
     * Fetch "parse a single range header value" without whitespace, start required: {@code bytes=0-1} or
     * {@code bytes=5-}; not {@code bytes=-5} (a suffix), not two ranges, not an end before the start.
     */
    private static boolean isSimpleRange(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=([0-9]+)-([0-9]*)").matcher(value);
        if (!m.matches()) {
            return false;
        }
        if (m.group(2).isEmpty()) {
            return true;
        }
        return new java.math.BigInteger(m.group(1)).compareTo(new java.math.BigInteger(m.group(2))) <= 0;
    }

    /** Fetch "CORS-unsafe request-header byte". */
    private static boolean isUnsafeByte(int c) {
        return (c < 0x20 && c != 0x09) || c == 0x22 || c == 0x28 || c == 0x29 || c == 0x3a || c == 0x3c
                || c == 0x3e || c == 0x3f || c == 0x40 || c == 0x5b || c == 0x5c || c == 0x5d || c == 0x7b
                || c == 0x7d || c == 0x7f;
    }

    /** True for a header the browser adds itself, never the page ("forbidden request-header" names). */
    static boolean isAddedByTheBrowser(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ADDED_BY_THE_BROWSER.contains(lower) || lower.startsWith("sec-") || lower.startsWith("proxy-");
    }

    /**
     * Fetch "CORS-unsafe request-header names" of the page's headers: each header that is not safelisted, and
     * every safelisted one too when their values together pass 1024 bytes; lower-cased, sorted, no duplicates
     * — exactly what {@code Access-Control-Request-Headers} carries.
     */
    public static List<String> unsafeRequestHeaderNames(Map<String, String> pageHeaders) {
        Set<String> unsafe = new TreeSet<>();
        List<String> safelisted = new ArrayList<>();
        int safelistedSize = 0;
        for (Map.Entry<String, String> header : pageHeaders.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (isAddedByTheBrowser(name)) {
                continue;
            }
            String value = header.getValue() == null ? "" : header.getValue();
            if (isSafelistedRequestHeader(name, value)) {
                safelisted.add(name);
                safelistedSize += value.length();
            } else {
                unsafe.add(name);
            }
        }
        if (safelistedSize > SAFELISTED_TOTAL_MAX) {
            unsafe.addAll(safelisted);
        }
        return List.copyOf(unsafe);
    }

    /**
     * The values of an {@code Access-Control-Allow-Methods}, {@code -Allow-Headers} or {@code -Expose-Headers}
     * header (all its lines together): split at commas, trimmed, empty ones dropped. Case is kept: methods are
     * compared exactly; callers lower-case header names themselves.
     */
    public static List<String> listValues(List<String> headerLines) {
        List<String> values = new ArrayList<>();
        for (String line : headerLines) {
            Arrays.stream(line.split(",")).map(String::strip).filter(v -> !v.isEmpty()).forEach(values::add);
        }
        return values;
    }
}

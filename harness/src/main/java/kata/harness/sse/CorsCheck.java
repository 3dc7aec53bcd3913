package kata.harness.sse;

import java.net.http.HttpHeaders;

/**
 * The CORS check of the Fetch standard for the one request an EventSource makes (a simple GET): a
 * same-origin stream passes; a cross-origin one needs {@code Access-Control-Allow-Origin} naming the
 * page's origin (or {@code *} when no credentials are sent), and {@code Access-Control-Allow-Credentials:
 * true} when they are ({@code withCredentials}).
 */
record CorsCheck(String pageOrigin, boolean crossOrigin, boolean withCredentials) {

    /** Why the response fails the check, or null when it passes. */
    String refusal(HttpHeaders headers) {
        if (!crossOrigin) {
            return null;
        }
        String allowOrigin = headers.firstValue("Access-Control-Allow-Origin").orElse(null);
        if (allowOrigin == null) {
            return "cross-origin response without Access-Control-Allow-Origin";
        }
        if (withCredentials) {
            if (!allowOrigin.equals(pageOrigin)) {
                return "Access-Control-Allow-Origin '" + allowOrigin + "' is not '" + pageOrigin
                        + "' (credentials mode include)";
            }
            if (!"true".equals(headers.firstValue("Access-Control-Allow-Credentials").orElse(null))) {
                return "Access-Control-Allow-Credentials is not 'true' (credentials mode include)";
            }
            return null;
        }
        if (!allowOrigin.equals("*") && !allowOrigin.equals(pageOrigin)) {
            return "Access-Control-Allow-Origin '" + allowOrigin + "' is not '" + pageOrigin + "'";
        }
        return null;
    }
}

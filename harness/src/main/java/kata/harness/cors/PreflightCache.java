package kata.harness.cors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The CORS-preflight cache (Fetch standard §4.9, "CORS-preflight cache"), shaped as Chromium keeps it: one
 * entry per (page origin, URL), holding the methods and header names a preflight allowed, whether it was made
 * with credentials, and when it expires. A later request is sent without a preflight only when the entry
 * covers its credentials mode, its method and every one of its CORS-unsafe header names.
 *
 * <p>Lifetime: {@code Access-Control-Max-Age} seconds, at most 7200 s (Chromium's cap; the standard leaves the
 * cap to the browser); 5 s when the header is absent or not a number (Fetch §4.8 step 9: "If max-age is failure or
 * null, then set max-age to 5"); {@code 0} caches nothing.
 */
public final class PreflightCache {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);
    public static final Duration MAX_AGE_CAP = Duration.ofHours(2);

    /** What one successful preflight allowed. */
    record Allowance(boolean credentials, Set<String> methods, Set<String> lowerCaseHeaders) {

        /** Why this allowance does not let the request through, or null when it does (Fetch §4.8 steps 7–8). */
        String refusal(boolean includeCredentials, String method, List<String> unsafeHeaderNames) {
            boolean wildcards = !includeCredentials;
            if (!methods.contains(method) && !CorsRules.isSafelistedMethod(method)
                    && !(wildcards && methods.contains("*"))) {
                return "Access-Control-Allow-Methods " + methods + " does not allow " + method
                        + (methods.contains("*") ? " ('*' is no wildcard when credentials are included)" : "");
            }
            for (String name : unsafeHeaderNames) {
                // The standard says "*" never covers Authorization (Fetch §4.8 step 8); Chromium 156 lets it
                // (kata.realbrowser.CorsRulesInChromiumTest, case headers-star-authorization): as Chromium does.
                if (!lowerCaseHeaders.contains(name) && !(wildcards && lowerCaseHeaders.contains("*"))) {
                    return "Access-Control-Allow-Headers " + lowerCaseHeaders + " does not allow " + name
                            + (lowerCaseHeaders.contains("*") ? " ('*' is no wildcard when credentials are included)" : "");
                }
            }
            return null;
        }
    }

    private record Key(String origin, String url) {
    }

    private record Entry(Allowance allowance, long expiresAtNanos) {
    }

    private final LongSupplier nanoClock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** A cache on the system's monotonic clock. */
    public PreflightCache() {
        this(System::nanoTime);
    }

    /** A cache on the given clock (nanoseconds, monotonic), so a test can let time pass without waiting. */
    public PreflightCache(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether a request may skip its preflight: a live entry covers its credentials, method and headers. */
    public boolean covers(String origin, String url, boolean includeCredentials, String method,
            List<String> unsafeHeaderNames) {
        Key key = new Key(origin, url);
        Entry entry = entries.get(key);
        if (entry == null) {
            return false;
        }
        if (entry.expiresAtNanos - nanoClock.getAsLong() <= 0) {
            entries.remove(key, entry);
            return false;
        }
        if (includeCredentials && !entry.allowance.credentials()) {
            return false;
        }
        return entry.allowance.refusal(includeCredentials, method, unsafeHeaderNames) == null;
    }

    /** Keeps what a successful preflight allowed, replacing the entry for the same origin and URL. */
    void store(String origin, String url, Allowance allowance, Duration maxAge) {
        Key key = new Key(origin, url);
        if (maxAge.isZero()) {
            entries.remove(key);
            return;
        }
        entries.put(key, new Entry(allowance, nanoClock.getAsLong() + maxAge.toNanos()));
    }

    /** The lifetime an {@code Access-Control-Max-Age} value (or its absence, null) gives an entry. */
    public static Duration maxAge(String header) {
        String value = header == null ? "" : header.strip();
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return DEFAULT_MAX_AGE;
        }
        if (value.length() > 7) { // beyond the cap whatever it says; no overflow
            return MAX_AGE_CAP;
        }
        Duration age = Duration.ofSeconds(Long.parseLong(value));
        return age.compareTo(MAX_AGE_CAP) > 0 ? MAX_AGE_CAP : age;
    }
}

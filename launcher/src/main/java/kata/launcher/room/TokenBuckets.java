package kata.launcher.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A rate limit per key (a participant's id, a client's address): a bucket of {@code burst} tokens per key,
 * one token back every {@code refill}. A request takes a token or is refused with the seconds until the next
 * one ({@code Retry-After}). The map is bounded too: a full bucket is the same as none and is forgotten
 * first; when {@code maxKeys} buckets are all in use, new keys are refused until one fills up.
 */
final class TokenBuckets {
    private final int burst;
    private final Duration refill;
    private final int maxKeys;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>(); // guarded by this

    private static final class Bucket {
        double tokens;
        Instant at;

        Bucket(double tokens, Instant at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    TokenBuckets(int burst, Duration refill, int maxKeys, Clock clock) {
        this.burst = burst;
        this.refill = refill;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Takes a token for {@code key}: 0 when granted, otherwise the whole seconds to wait (at least 1). */
    synchronized long take(String key) {
        Instant now = clock.instant();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                buckets.values().removeIf(b -> level(b, now) >= burst);
                if (buckets.size() >= maxKeys) {
                    return Math.max(1, refill.toSeconds());
                }
            }
            bucket = new Bucket(burst, now);
            buckets.put(key, bucket);
        }
        bucket.tokens = level(bucket, now);
        bucket.at = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        double missing = 1 - bucket.tokens;
        return Math.max(1, (long) Math.ceil(missing * refill.toMillis() / 1000.0));
    }

    private double level(Bucket bucket, Instant now) {
        long elapsed = Math.max(0, Duration.between(bucket.at, now).toMillis());
        return Math.min(burst, bucket.tokens + (double) elapsed / refill.toMillis());
    }
}

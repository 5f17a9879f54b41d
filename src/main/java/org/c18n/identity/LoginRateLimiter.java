package org.c18n.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.C18nProperties;
import org.c18n.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Slows password guessing: a budget of login attempts per minute per username and per client address. */
@Component
public class LoginRateLimiter {
    private static final int MAX_TRACKED = 100_000;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perMinute;

    public LoginRateLimiter(C18nProperties props) {
        this.perMinute = props.auth().loginAttemptsPerMinute();
    }

    public void check(String username, String address) {
        if (!take("u:" + username.toLowerCase()) || !take("a:" + address)) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                    "Too many sign-in attempts; wait a minute and try again");
        }
    }

    private boolean take(String key) {
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                        .build())
                .tryConsume(1);
    }
}

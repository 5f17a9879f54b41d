package org.c18n.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Locale;
import org.c18n.infra.C18nProperties;
import org.c18n.web.RateBudgets;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing: a budget of failed sign-ins per minute for each (username, client
 * address) pair, and a larger one per client address (many people may share one). Nothing is
 * counted per username alone, so someone hammering a victim's name from their address spends
 * only their own budgets: the victim, signing in from an address that has not failed, is never
 * held back. Successful sign-ins cost nothing.
 */
@Component
public class LoginRateLimiter {
    private static final int MAX_TRACKED = 100_000;
    private static final int ADDRESS_FACTOR = 10;

    private final RateBudgets<String> budgets = new RateBudgets<>(MAX_TRACKED);
    private final int perMinute;

    public LoginRateLimiter(C18nProperties props) {
        this.perMinute = props.auth().loginAttemptsPerMinute();
    }

    /** The seconds to wait before another attempt (0: go ahead), by the fuller of the two budgets; takes nothing from them. */
    public long secondsToWait(String username, String address) {
        String network = network(address);
        return Math.max(secondsToWait(pairKey(username, network), perMinute),
                secondsToWait(addressKey(network), perMinute * ADDRESS_FACTOR));
    }

    public void failed(String username, String address) {
        String network = network(address);
        bucket(pairKey(username, network), perMinute).tryConsume(1);
        bucket(addressKey(network), perMinute * ADDRESS_FACTOR).tryConsume(1);
    }

    private long secondsToWait(String key, int capacity) {
        var probe = bucket(key, capacity).estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : RateBudgets.seconds(probe.getNanosToWaitForRefill());
    }

    private static String pairKey(String username, String network) {
        return "p:" + network + " " + username.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String network) {
        return "a:" + network;
    }

    /** An IPv6 client usually holds a whole /64, so that prefix counts as one address. */
    static String network(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return String.valueOf(address);
        }
        try {
            // A string with ':' is parsed as an IPv6 literal, never looked up.
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "/64";
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    private Bucket bucket(String key, int capacity) {
        return budgets.bucket(key, () -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, Duration.ofMinutes(1)).build())
                .build());
    }
}

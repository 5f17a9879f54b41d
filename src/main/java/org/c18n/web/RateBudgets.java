package org.c18n.web;

import io.github.bucket4j.Bucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Token buckets by key, kept on this node. Beyond {@code maxTracked} keys all are forgotten at
 * once: an idle bucket is full again soon anyway, and the map cannot grow without bound.
 */
public final class RateBudgets<K> {
    private final int maxTracked;
    private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();

    public RateBudgets(int maxTracked) {
        this.maxTracked = maxTracked;
    }

    /** The key's bucket, made by {@code make} when the key has none. */
    public Bucket bucket(K key, Supplier<Bucket> make) {
        if (buckets.size() > maxTracked) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> make.get());
    }

    /** Takes one token: 0 when taken, else the whole seconds until one is there again. */
    public long secondsToWait(K key, Supplier<Bucket> make) {
        var probe = bucket(key, make).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : seconds(probe.getNanosToWaitForRefill());
    }

    /** Nanoseconds rounded up to whole seconds, at least one: a Retry-After of 0 would invite a retry at once. */
    public static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}

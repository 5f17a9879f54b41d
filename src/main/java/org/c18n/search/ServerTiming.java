package org.c18n.search;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each part of a search took, sent back as a {@code Server-Timing} header (browsers' developer
 * tools and the search benchmark read it): where a slow query spends its time, without a profiler.
 */
public final class ServerTiming {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Adds the time since {@code startedNanos} (a {@link System#nanoTime()}) to {@code part}. */
    void add(String part, long startedNanos) {
        nanos.merge(part, System.nanoTime() - startedNanos, Long::sum);
    }

    /** {@code rights;dur=0.12, count;dur=1.50, ...} in milliseconds. */
    public String header() {
        return nanos.entrySet().stream()
                .map(e -> e.getKey() + ";dur=" + String.format(Locale.ROOT, "%.2f", e.getValue() / 1e6))
                .collect(Collectors.joining(", "));
    }
}

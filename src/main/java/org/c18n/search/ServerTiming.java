package org.c18n.search;

import java.util.LinkedHashMap;
import java.util.Map;

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
        StringBuilder header = new StringBuilder();
        nanos.forEach((part, took) -> {
            long hundredths = (took + 5_000) / 10_000; // String.format cost more than some of the parts it reports
            header.append(header.isEmpty() ? "" : ", ").append(part).append(";dur=").append(hundredths / 100).append('.')
                    .append(hundredths % 100 < 10 ? "0" : "").append(hundredths % 100);
        });
        return header.toString();
    }
}

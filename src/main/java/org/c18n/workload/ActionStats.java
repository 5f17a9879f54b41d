package org.c18n.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts, errors (by cause) and latencies of each action, over the whole run and since the last look. */
final class ActionStats {
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> causes = new ConcurrentHashMap<>();
    private final Recent live = new Recent();
    private final Recent step = new Recent();

    void record(String action, long nanos) {
        List<Long> list = latencies.computeIfAbsent(action, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
        list.add(nanos);
        live.record(action, nanos);
        step.record(action, nanos);
    }

    void failed(String action, String cause) {
        errors.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
        causes.computeIfAbsent(action + ": " + cause, k -> new AtomicInteger()).incrementAndGet();
        live.failed();
        step.failed();
    }

    /** What happened in a window: actions done, errors, latencies in ms (p50, p99), also by action (with counts). */
    record Window(int done, int errors, double p50, double p99, Map<String, double[]> byAction) {}

    /** What happened since the last call (the live line). */
    Window drain() {
        return live.drain();
    }

    /** What happened since the last call of this one (a ramp's step). */
    Window drainStep() {
        return step.drain();
    }

    /** Latencies and errors since a window was last drained. */
    private static final class Recent {
        private final List<Long> all = new ArrayList<>();
        private final Map<String, List<Long>> byAction = new java.util.TreeMap<>();
        private int errors;

        synchronized void record(String action, long nanos) {
            all.add(nanos);
            byAction.computeIfAbsent(action, k -> new ArrayList<>()).add(nanos);
        }

        synchronized void failed() {
            errors++;
        }

        synchronized Window drain() {
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<String, double[]> perAction = new LinkedHashMap<>();
            byAction.forEach((action, list) -> {
                long[] each = list.stream().mapToLong(Long::longValue).sorted().toArray();
                perAction.put(action, new double[] {percentile(each, 0.5), percentile(each, 0.99), each.length});
            });
            Window window = new Window(sorted.length, errors, percentile(sorted, 0.5), percentile(sorted, 0.99), perAction);
            all.clear();
            byAction.clear();
            errors = 0;
            return window;
        }
    }

    long total() {
        return latencies.values().stream().mapToLong(List::size).sum();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** One line per action: done, errors, p50, p95, p99, max in ms. */
    Map<String, Map<String, Object>> summary(Iterable<String> actions) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (String action : actions) {
            long[] sorted;
            List<Long> list = latencies.getOrDefault(action, List.of());
            synchronized (list) {
                sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("count", sorted.length);
            row.put("errors", errors.getOrDefault(action, new AtomicInteger()).get());
            row.put("p50Ms", round(percentile(sorted, 0.5)));
            row.put("p95Ms", round(percentile(sorted, 0.95)));
            row.put("p99Ms", round(percentile(sorted, 0.99)));
            row.put("maxMs", round(sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6));
            rows.put(action, row);
        }
        return rows;
    }

    Map<String, Integer> causes() {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        causes.entrySet().stream().sorted((a, b) -> b.getValue().get() - a.getValue().get())
                .forEach(e -> sorted.put(e.getKey(), e.getValue().get()));
        return sorted;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1 < 0 ? 0 : Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}

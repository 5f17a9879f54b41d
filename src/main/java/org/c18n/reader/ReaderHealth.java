package org.c18n.reader;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the log's readers on this node (the {@code readers} indicator, part of readiness): down
 * while a reader has failed again and again for longer than {@value #PATIENCE_SECONDS} s without
 * progress (its lag grows), or when a reader stopped by itself.
 */
@Component("readers")
public class ReaderHealth implements HealthIndicator {
    static final long PATIENCE_SECONDS = 10;

    private record Trouble(long sinceNanos, int failures, String reason, boolean stopped) {}

    private final Map<String, Trouble> troubles = new ConcurrentHashMap<>();

    /** {@code reader} applied what it read: whatever went wrong before is over. */
    public void progressed(String reader) {
        if (!troubles.isEmpty()) {
            troubles.remove(reader);
        }
    }

    /** {@code reader} failed and will try the same records again. */
    public void failed(String reader, Throwable error) {
        troubles.compute(reader, (r, before) -> before == null
                ? new Trouble(System.nanoTime(), 1, describe(error), false)
                : new Trouble(before.sinceNanos(), before.failures() + 1, describe(error), false));
    }

    /** {@code reader}'s thread ended although nobody stopped it. */
    public void stopped(String reader, Throwable error) {
        troubles.put(reader, new Trouble(System.nanoTime(), 1, describe(error), true));
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        long now = System.nanoTime();
        for (Map.Entry<String, Trouble> entry : troubles.entrySet()) {
            Trouble trouble = entry.getValue();
            Duration failing = Duration.ofNanos(now - trouble.sinceNanos());
            if (trouble.stopped() || failing.toSeconds() >= PATIENCE_SECONDS) {
                health.down();
            }
            health.withDetail(entry.getKey(), Map.of(
                    "state", trouble.stopped() ? "stopped" : "failing",
                    "failures", trouble.failures(),
                    "forSeconds", failing.toSeconds(),
                    "lastError", trouble.reason()));
        }
        return health.build();
    }

    private static String describe(Throwable error) {
        return error == null ? "unknown" : error.getClass().getSimpleName();
    }
}

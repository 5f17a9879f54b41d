package org.c18n.speedlayer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.ProjectionTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The speed layer's gate: its parts see an event of the log only once the projector has applied
 * it, and never one the projector refused (a duplicate invite, the second claim of a name), so
 * that no notification, count or flag derives from what the views rejected.
 *
 * <p>Cost: a record waits until the projector has applied its offset (woken by the projector's
 * commit, see {@link ProjectionTracker#awaitApplied}), so the projector's lag adds to the speed
 * layer's; the verdict comes from {@link ProjectionTracker#refused}. A database that cannot
 * answer is waited for, never taken as a verdict.
 */
@Component
public class ProjectorGate implements SpeedLayer.Gate {
    private static final Logger log = LoggerFactory.getLogger(ProjectorGate.class);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final ProjectionTracker tracker;
    private final Timer waits;
    private volatile boolean closing;

    public ProjectorGate(ProjectionTracker tracker, MeterRegistry registry) {
        this.tracker = tracker;
        this.waits = Timer.builder("c18n.streams.gate.wait")
                .description("Time a speed layer record waited for the projector to apply it").register(registry);
    }

    @Override
    public boolean accepted(String topic, int partition, long offset, Event event) {
        long started = System.nanoTime();
        while (true) {
            try {
                if (tracker.awaitApplied(topic, partition, offset, STEP)) {
                    waits.record(Duration.ofNanos(System.nanoTime() - started));
                    return !tracker.refused(topic, partition, offset, event.id());
                }
            } catch (DataAccessException e) {
                log.warn("The speed layer's gate cannot read the projector's verdicts yet: {}", e.getMessage());
                sleep();
            }
            if (closing || Thread.currentThread().isInterrupted()) {
                // Not a verdict: the task is closed without committing, and the record is read again.
                throw new TaskMigratedException("the speed layer stops before the projector applied " + topic + "-"
                        + partition + "@" + offset);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(STEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets records wait for the projector again (the speed layer starts). */
    void open() {
        closing = false;
    }

    /** Stops waiting: a record not yet applied is left for the next start (the speed layer stops). */
    void close() {
        closing = true;
    }
}

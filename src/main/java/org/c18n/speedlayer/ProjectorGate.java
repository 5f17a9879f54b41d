package org.c18n.speedlayer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.ProjectionTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The speed layer's gate: its parts see an event of the log only once the projector has applied
 * it, and never one the projector refused (a duplicate invite, the second claim of a name), so
 * that no notification, count or flag derives from what the views rejected.
 *
 * <p>Cost: a record waits until the projector has applied its offset (woken by the projector's
 * commit, see {@link ProjectionTracker#awaitApplied}), so the projector's lag adds to the speed
 * layer's. The verdict is known in memory when this node's projector applied the record lately
 * (the common case on one node); otherwise one query learns the refusals of the whole stretch of
 * the partition the projector has applied so far, which the following records of that stretch
 * reuse. A database that cannot answer is waited for, never taken as a verdict.
 */
@Component
public class ProjectorGate implements SpeedLayer.Gate {
    private static final Logger log = LoggerFactory.getLogger(ProjectorGate.class);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final ProjectionTracker tracker;
    private final JdbcClient db;
    private final Map<TopicPartition, Known> known = new ConcurrentHashMap<>();
    private final Counter lookups;
    private final Timer waits;
    private volatile boolean closing;

    /** The projector's verdicts on the offsets {@code [from, until)} of one partition: the events it refused. */
    private record Known(long from, long until, Set<UUID> refused) {
        boolean covers(long offset) {
            return from <= offset && offset < until;
        }
    }

    public ProjectorGate(ProjectionTracker tracker, JdbcClient db, MeterRegistry registry) {
        this.tracker = tracker;
        this.db = db;
        this.lookups = Counter.builder("c18n.streams.gate.lookups")
                .description("Queries the speed layer's gate made for the projector's verdicts (not known in memory)")
                .register(registry);
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
                    return !refused(topic, partition, offset, event.id());
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

    private boolean refused(String topic, int partition, long offset, UUID eventId) {
        Boolean here = tracker.refusedHere(topic, partition, offset, eventId);
        if (here != null) {
            return here;
        }
        TopicPartition key = new TopicPartition(topic, partition);
        Known stretch = known.get(key);
        if (stretch == null || !stretch.covers(offset)) {
            long until = tracker.appliedUntil(topic, partition);
            lookups.increment();
            stretch = new Known(offset, until, new HashSet<>(db.sql("""
                            SELECT event_id FROM event_rejections
                            WHERE topic = ? AND partition = ? AND log_offset >= ? AND log_offset < ?""")
                    .params(topic, partition, offset, until).query(UUID.class).list()));
            known.put(key, stretch);
        }
        return stretch.refused().contains(eventId);
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

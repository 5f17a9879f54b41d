package org.c18n.eventlog;

import org.apache.kafka.common.TopicPartition;
import org.c18n.infra.PgListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Knows how far the projector has applied each partition, on whichever node it runs: the local
 * projector tells it directly, other nodes' projectors through PostgreSQL {@code NOTIFY} sent at
 * their commit. Writers wait here (woken, not polling) for read-your-writes.
 */
@Component
public class ProjectionTracker {
    public static final String CHANNEL = "c18n_projected";
    private static final int RECENT_BATCHES = 64;

    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    /** The writers waiting, per partition: an advance wakes only those whose record it covers. */
    private final Map<TopicPartition, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final JdbcClient db;

    /** The last batches the local projector applied, per partition: its verdicts, handed to waiting writes. */
    private final Map<TopicPartition, ArrayDeque<Decided>> decided = new ConcurrentHashMap<>();

    /**
     * What the local projector applied in one transaction: per partition the first offset and the
     * next one, and the events it refused with their reasons.
     */
    public record Applied(Map<TopicPartition, Long> first, Map<TopicPartition, Long> next, Map<UUID, String> rejected) {
        public static final Applied NOTHING = new Applied(Map.of(), Map.of(), Map.of());

        public Applied and(Applied other) {
            Map<TopicPartition, Long> firsts = new HashMap<>(first);
            other.first.forEach((p, o) -> firsts.merge(p, o, Math::min));
            Map<TopicPartition, Long> nexts = new HashMap<>(next);
            other.next.forEach((p, o) -> nexts.merge(p, o, Math::max));
            Map<UUID, String> rejections = new HashMap<>(rejected);
            rejections.putAll(other.rejected);
            return new Applied(firsts, nexts, rejections);
        }
    }

    private record Decided(long from, long until, Map<UUID, String> rejected) {}

    private static final class Waiter {
        final long offset;
        final Thread thread = Thread.currentThread();
        Waiter(long offset) {
            this.offset = offset;
        }

        void wake() {
            LockSupport.unpark(thread);
        }
    }

    public ProjectionTracker(JdbcClient db, PgListener listener) {
        this.db = db;
        // Other nodes' projectors announce their commits; after a reconnect, catch up from the table.
        listener.subscribe(CHANNEL, payload -> advance(parse(payload)), this::refreshFromDatabase);
    }

    /** Records that every offset below {@code next} of each partition is applied, and wakes who waited for it. */
    public void advance(Map<TopicPartition, Long> next) {
        next.forEach((partition, offset) -> {
            applied.merge(partition, offset, Math::max);
            Set<Waiter> waiters = waiting.get(partition);
            if (waiters != null) {
                for (Waiter waiter : waiters) {
                    if (waiter.offset < offset) {
                        waiter.wake();
                    }
                }
            }
        });
    }

    /** The local projector committed {@code batch}: remember its verdicts, then wake the writers. */
    public void applied(Applied batch) {
        batch.next().forEach((partition, until) -> {
            ArrayDeque<Decided> recent = decided.computeIfAbsent(partition, p -> new ArrayDeque<>());
            synchronized (recent) {
                recent.addLast(new Decided(batch.first().get(partition), until, batch.rejected()));
                if (recent.size() > RECENT_BATCHES) {
                    recent.removeFirst();
                }
            }
        });
        advance(batch.next());
    }

    /**
     * The projector's reason for refusing the applied event at {@code offset}, empty when it was
     * accepted: known without a query when this node's projector applied it lately; otherwise (another
     * node's projector, or long ago) read from the database.
     */
    public Optional<String> rejection(String topic, int partition, long offset, UUID eventId) {
        Decided batch = decidedHere(topic, partition, offset);
        if (batch != null) {
            return Optional.ofNullable(batch.rejected().get(eventId));
        }
        return db.sql("SELECT reason FROM event_rejections WHERE event_id = ?").param(eventId)
                .query(String.class).optional();
    }

    /**
     * Whether this node's projector refused the event at {@code offset}, when it is among the
     * batches it applied lately; null when this node does not know (another node's projector
     * applied it, or long ago: ask the database).
     */
    public Boolean refusedHere(String topic, int partition, long offset, UUID eventId) {
        Decided batch = decidedHere(topic, partition, offset);
        return batch == null ? null : batch.rejected().containsKey(eventId);
    }

    /** The batch of this node's projector's last ones that holds {@code offset}, or null. */
    private Decided decidedHere(String topic, int partition, long offset) {
        ArrayDeque<Decided> recent = decided.get(new TopicPartition(topic, partition));
        if (recent != null) {
            synchronized (recent) {
                for (Decided batch : recent) {
                    if (batch.from() <= offset && offset < batch.until()) {
                        return batch;
                    }
                }
            }
        }
        return null;
    }

    /** The offset below which the projector has applied every record of the partition, as far as this node knows. */
    public long appliedUntil(String topic, int partition) {
        return applied.getOrDefault(new TopicPartition(topic, partition), 0L);
    }

    /**
     * Waits until the record at {@code offset} is applied; false when {@code timeout} passed first.
     * Progress arrives as wake-ups (local projector, other nodes' NOTIFY) for this partition only;
     * the database is read only when a quarter second passes without one, so a lost notification
     * costs one such interval.
     */
    public boolean awaitApplied(String topic, int partition, long offset, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (isApplied(tp, offset)) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Waiter waiter = new Waiter(offset);
        Set<Waiter> waiters = waiting.computeIfAbsent(tp, p -> ConcurrentHashMap.newKeySet());
        waiters.add(waiter);
        try {
            while (!isApplied(tp, offset)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Long before = applied.get(tp);
                if (isApplied(tp, offset)) {
                    return true;
                }
                LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)));
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
                // Only when the partition showed no progress at all (a lost notification): a
                // backlog moves it, and then every waiter querying would slow the projector further.
                if (!isApplied(tp, offset) && Objects.equals(before, applied.get(tp))) {
                    refreshFromDatabase();
                }
            }
            return true;
        } finally {
            waiters.remove(waiter);
        }
    }

    private boolean isApplied(TopicPartition tp, long offset) {
        Long next = applied.get(tp);
        return next != null && next > offset;
    }

    private void refreshFromDatabase() {
        Map<TopicPartition, Long> stored = new HashMap<>();
        db.sql("SELECT topic, partition, next_offset FROM projector_offsets")
                .query(rs -> {
                    stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                });
        advance(stored);
    }

    private static Map<TopicPartition, Long> parse(String payload) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (String part : payload.split(",")) {
            int last = part.lastIndexOf(':');
            int middle = part.lastIndexOf(':', last - 1);
            if (middle <= 0) {
                continue;
            }
            next.put(new TopicPartition(part.substring(0, middle), Integer.parseInt(part.substring(middle + 1, last))),
                    Long.parseLong(part.substring(last + 1)));
        }
        return next;
    }
}

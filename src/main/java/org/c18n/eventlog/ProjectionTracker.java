package org.c18n.eventlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.infra.PgListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Knows how far the projector has applied each partition, on whichever node it runs: the local
 * projector tells it directly, other nodes' projectors through PostgreSQL {@code NOTIFY} sent at
 * their commit. Writers wait here (woken, not polling) for read-your-writes, and every reader
 * that derives from the domain topics (speed layer, search index, mails) asks here whether the
 * projector accepted an event ({@link #refused}).
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

    /** The refusals read from the database for the offsets {@code [from, until)} of one partition. */
    private record Known(long from, long until, Set<UUID> refused) {
        boolean covers(long offset) {
            return from <= offset && offset < until;
        }
    }

    /** Per partition, the stretch last read from the database, which the following records reuse. */
    private final Map<TopicPartition, Known> known = new ConcurrentHashMap<>();
    private final Counter lookups;

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

    public ProjectionTracker(JdbcClient db, PgListener listener, MeterRegistry registry) {
        this.db = db;
        this.lookups = Counter.builder("c18n.projection.verdict.lookups")
                .description("Queries for the projector's verdicts that this node's memory did not hold")
                .register(registry);
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
     * Whether the projector refused the event at {@code offset}, which it has applied (see
     * {@link #awaitApplied}). Known in memory when this node's projector applied it in one of its last
     * batches (the common case on one node); otherwise one query learns the refusals of the whole
     * stretch of the partition applied so far, which the following records of that stretch reuse.
     * A database that cannot answer throws: that is never a verdict.
     */
    public boolean refused(String topic, int partition, long offset, UUID eventId) {
        Decided batch = decidedHere(topic, partition, offset);
        if (batch != null) {
            return batch.rejected().containsKey(eventId);
        }
        TopicPartition key = new TopicPartition(topic, partition);
        Known stretch = known.get(key);
        if (stretch == null || !stretch.covers(offset)) {
            long until = Math.max(offset + 1, appliedUntil(topic, partition));
            lookups.increment();
            stretch = new Known(offset, until, new HashSet<>(db.sql("""
                            SELECT event_id FROM event_rejections
                            WHERE topic = ? AND partition = ? AND log_offset >= ? AND log_offset < ?""")
                    .params(topic, partition, offset, until).query(UUID.class).list()));
            known.put(key, stretch);
        }
        return stretch.refused().contains(eventId);
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

    /**
     * Waits until the projector has applied every one of {@code records}, in steps of a second:
     * throws {@link WakeupException} when {@code stopping} says so between steps, and
     * {@link IllegalStateException} once {@code patience} has passed (the projector is not running).
     */
    public void awaitApplied(List<ConsumerRecord<String, String>> records, BooleanSupplier stopping, Duration patience) {
        Map<TopicPartition, Long> last = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            last.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::max);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        for (Map.Entry<TopicPartition, Long> entry : last.entrySet()) {
            while (!awaitApplied(entry.getKey().topic(), entry.getKey().partition(), entry.getValue(), Duration.ofSeconds(1))) {
                if (stopping.getAsBoolean()) {
                    throw new WakeupException();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The projector has not applied " + entry.getKey() + " up to offset "
                            + entry.getValue() + "; start the platform so that it catches up, then try again");
                }
            }
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

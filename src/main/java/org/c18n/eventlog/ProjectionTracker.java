package org.c18n.eventlog;

import org.c18n.infra.PgListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Knows how far the projector has applied each partition, on whichever node it runs: the local
 * projector tells it directly, other nodes' projectors through PostgreSQL {@code NOTIFY} sent at
 * their commit. Writers wait here (woken, not polling) for read-your-writes.
 */
@Component
public class ProjectionTracker {
    public static final String CHANNEL = "c18n_projected";

    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final JdbcClient db;

    public ProjectionTracker(JdbcClient db, PgListener listener) {
        this.db = db;
        // Other nodes' projectors announce their commits; after a reconnect, catch up from the table.
        listener.subscribe(CHANNEL, payload -> advance(parse(payload)), () -> {
            refreshFromDatabase();
            advance(Map.of());
        });
    }

    /** Records that every offset below {@code next} of each partition is applied. */
    public void advance(Map<TopicPartition, Long> next) {
        next.forEach((partition, offset) -> applied.merge(partition, offset, Math::max));
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the record at {@code offset} is applied; false when {@code timeout} passed first.
     * Progress arrives as signals (local projector, other nodes' NOTIFY); the database is read only
     * when a quarter second passes without any, so a lost notification costs one such interval.
     */
    public boolean awaitApplied(String topic, int partition, long offset, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isApplied(tp, offset)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            boolean signalled;
            lock.lock();
            try {
                if (isApplied(tp, offset)) {
                    return true;
                }
                signalled = advanced.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
            if (!signalled) {
                refreshFromDatabase();
            }
        }
        return true;
    }

    private boolean isApplied(TopicPartition tp, long offset) {
        Long next = applied.get(tp);
        return next != null && next > offset;
    }

    private void refreshFromDatabase() {
        db.sql("SELECT topic, partition, next_offset FROM projector_offsets")
                .query((rs, n) -> applied.merge(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3), Math::max))
                .list();
    }

    private static Map<TopicPartition, Long> parse(String payload) {
        Map<TopicPartition, Long> next = new java.util.HashMap<>();
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

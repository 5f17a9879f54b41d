package org.c18n.eventlog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Knows how far the projector has applied each partition, on whichever node it runs: the local
 * projector tells it directly, other nodes' projectors through PostgreSQL {@code NOTIFY} sent at
 * their commit. Writers wait here (woken, not polling) for read-your-writes.
 */
@Component
public class ProjectionTracker implements SmartLifecycle {
    static final String CHANNEL = "c18n_projected";
    private static final Logger log = LoggerFactory.getLogger(ProjectionTracker.class);

    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final DatabaseConnection database;
    private final JdbcClient db;
    private volatile boolean running;
    private volatile Thread listener;

    public ProjectionTracker(DatabaseConnection database, JdbcClient db) {
        this.database = database;
        this.db = db;
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

    /** Waits until the record at {@code offset} is applied; false when {@code timeout} passed first. */
    public boolean awaitApplied(String topic, int partition, long offset, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (isApplied(tp, offset)) {
            return true;
        }
        refreshFromDatabase();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!isApplied(tp, offset)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
                if (!isApplied(tp, offset) && !running) {
                    refreshFromDatabase();
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
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

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "c18n-projection-listener");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // Catch up on what was committed while not listening.
                refreshFromDatabase();
                advance(Map.of());
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        advance(parse(notification.getParameter()));
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("Projection listener lost its connection ({}); reconnecting", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
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

    @Override
    public void stop() {
        running = false;
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

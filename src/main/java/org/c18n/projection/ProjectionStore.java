package org.c18n.projection;

import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Rejection;
import org.c18n.reader.DeadLetters;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Applies batches of log records to one set of views (the live schema, or a replay's), together
 * with the {@code events} audit table and the consumer offsets, in one transaction per batch.
 */
public class ProjectionStore {
    private static final Logger log = LoggerFactory.getLogger(ProjectionStore.class);

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final Map<String, EventApplier> appliers = new HashMap<>();
    private final ObjectMapper json;
    private final DeadLetters deadLetters;
    private final boolean notify;

    public ProjectionStore(DataSource dataSource, List<EventApplier> appliers, ObjectMapper json,
                           DeadLetters deadLetters, boolean notify) {
        this.db = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.json = json;
        this.deadLetters = deadLetters;
        this.notify = notify;
        for (EventApplier applier : appliers) {
            for (String type : applier.types()) {
                if (this.appliers.put(type, applier) != null) {
                    throw new IllegalStateException("Two projections claim event type " + type);
                }
            }
        }
    }

    public Map<TopicPartition, Long> storedOffsets() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        db.sql("SELECT topic, partition, next_offset FROM projector_offsets")
                .query((rs, n) -> offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3)))
                .list();
        return offsets;
    }

    /** Applies the records in order; returns the next offset of every partition touched. */
    public Map<TopicPartition, Long> applyBatch(List<ConsumerRecord<String, String>> records) {
        try {
            return tx.execute(status -> applyAll(records));
        } catch (TransientDataAccessException | DataAccessResourceFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("Batch failed ({}); applying its {} events one by one", e.getMessage(), records.size());
            Map<TopicPartition, Long> next = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                next.putAll(applyAlone(record));
            }
            return next;
        }
    }

    /**
     * Applies one record of a batch that failed. If it fails alone too, for a reason that trying
     * again would not change, it is skipped: its raw bytes go to the dead letters (a form that
     * cannot fail the way the event did), the event counts as rejected, and the partition moves on.
     */
    private Map<TopicPartition, Long> applyAlone(ConsumerRecord<String, String> record) {
        try {
            return tx.execute(status -> applyAll(List.of(record)));
        } catch (TransientDataAccessException | DataAccessResourceFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            return tx.execute(status -> {
                skip(record, DeadLetters.reason("cannot be applied", e));
                // Readable (applyAll skips what is not): the event counts as rejected, so nothing derives from it.
                reject(Event.parse(json, record.value()), "failed: " + e.getClass().getSimpleName());
                return storeOffsets(List.of(record));
            });
        }
    }

    private Map<TopicPartition, Long> applyAll(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            Event event;
            try {
                event = Event.parse(json, record.value());
            } catch (Event.UnreadableEvent e) {
                skip(record, "unreadable: " + e.getMessage());
                continue;
            }
            if (!recordEvent(event, record)) {
                continue;
            }
            EventApplier applier = appliers.get(event.type());
            if (applier == null) {
                continue;
            }
            try {
                applier.apply(event, new LogPosition(record.topic(), record.partition(), record.offset()), db);
            } catch (Rejection rejection) {
                reject(event, rejection.reason());
            }
        }
        return storeOffsets(records);
    }

    private void skip(ConsumerRecord<String, String> record, String reason) {
        deadLetters.recordIn(db, "projector", DeadLetters.Letter.of(record), reason);
    }

    /** Appends to the immutable events table; false when the event was already applied. */
    private boolean recordEvent(Event event, ConsumerRecord<String, String> record) {
        return db.sql("""
                        INSERT INTO events (id, type, v, at, actor, key, topic, partition, "offset", data)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (id) DO NOTHING""")
                .params(event.id(), event.type(), event.v(), Timestamp.from(event.at()), event.actor(), event.key(),
                        record.topic(), record.partition(), record.offset(), json.writeValueAsString(event.data()))
                .update() == 1;
    }

    private void reject(Event event, String reason) {
        db.sql("INSERT INTO event_rejections (event_id, reason) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .params(event.id(), DeadLetters.clean(reason))
                .update();
    }

    private Map<TopicPartition, Long> storeOffsets(List<ConsumerRecord<String, String>> records) {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        next.forEach((partition, offset) -> db.sql("""
                        INSERT INTO projector_offsets (topic, partition, next_offset) VALUES (?, ?, ?)
                        ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset""")
                .params(partition.topic(), partition.partition(), offset)
                .update());
        if (notify) {
            String payload = next.entrySet().stream()
                    .map(e -> e.getKey().topic() + ":" + e.getKey().partition() + ":" + e.getValue())
                    .collect(Collectors.joining(","));
            db.sql("SELECT pg_notify('" + ProjectionTracker.CHANNEL + "', ?)").param(payload).query().singleValue();
        }
        return next;
    }
}

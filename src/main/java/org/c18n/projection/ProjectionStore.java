package org.c18n.projection;

import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.PersonKeys;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Rejection;
import org.c18n.reader.DeadLetters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
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
    private final PersonKeys keys;
    private final boolean notify;

    public ProjectionStore(DataSource dataSource, List<EventApplier> appliers, ObjectMapper json,
                           DeadLetters deadLetters, PersonKeys keys, boolean notify) {
        this.keys = keys;
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

    /**
     * Applies the records in order; returns the offsets of every partition touched and the events
     * refused, for the requests waiting on them.
     */
    public ProjectionTracker.Applied applyBatch(List<ConsumerRecord<String, String>> records) {
        try {
            return tx.execute(status -> applyAll(records));
        } catch (TransientDataAccessException | DataAccessResourceFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("Batch failed ({}); applying its {} events one by one", e.getMessage(), records.size());
            ProjectionTracker.Applied applied = ProjectionTracker.Applied.NOTHING;
            for (ConsumerRecord<String, String> record : records) {
                applied = applied.and(applyAlone(record));
            }
            return applied;
        }
    }

    /**
     * Applies one record of a batch that failed. If it fails alone too, for a reason that trying
     * again would not change, it is skipped: its raw bytes go to the dead letters (a form that
     * cannot fail the way the event did), the event counts as rejected, and the partition moves on.
     */
    private ProjectionTracker.Applied applyAlone(ConsumerRecord<String, String> record) {
        try {
            return tx.execute(status -> applyAll(List.of(record)));
        } catch (TransientDataAccessException | DataAccessResourceFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            return tx.execute(status -> {
                skip(record, DeadLetters.reason("cannot be applied", e));
                // Readable (applyAll skips what is not): the event counts as rejected, so nothing derives from it.
                Event event = Event.parse(json, record.value(), keys);
                String reason = "failed: " + e.getClass().getSimpleName();
                reject(event, record, reason);
                return storeOffsets(List.of(record), Map.of(event.id(), reason));
            });
        }
    }

    private record Read(ConsumerRecord<String, String> record, Event event) {}

    private ProjectionTracker.Applied applyAll(List<ConsumerRecord<String, String>> records) {
        List<Read> readable = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            try {
                readable.add(new Read(record, Event.parse(json, record.value(), keys)));
            } catch (Event.UnreadableEvent e) {
                skip(record, "unreadable: " + e.getMessage());
            }
        }
        Set<UUID> fresh = recordEvents(readable);
        Map<UUID, String> rejected = new HashMap<>();
        List<UUID> repeated = new ArrayList<>();
        // Per applier, the events of one type it applies together, gathered until something depends on them.
        Map<EventApplier, List<Read>> runs = new LinkedHashMap<>();
        for (Read read : readable) {
            Event event = read.event();
            // An event already applied (a redelivery, or twice in this batch) is not applied again.
            if (!fresh.remove(event.id())) {
                repeated.add(event.id());
                continue;
            }
            EventApplier applier = appliers.get(event.type());
            if (applier == null || event.shredded() && !applier.typesWhenShredded().contains(event.type())) {
                continue;
            }
            if (!event.shredded() && applier.typesAppliedTogether().contains(event.type())) {
                List<Read> run = runs.get(applier);
                if (run != null && !run.get(0).event().type().equals(event.type())) {
                    applyRun(applier, runs.remove(applier), rejected);
                }
                runs.computeIfAbsent(applier, a -> new ArrayList<>()).add(read);
                continue;
            }
            applyRuns(runs, rejected);
            ConsumerRecord<String, String> record = read.record();
            try {
                applier.apply(event, new LogPosition(record.topic(), record.partition(), record.offset()), db);
            } catch (Rejection rejection) {
                rejected.put(event.id(), reject(event, record, rejection.reason()));
            }
        }
        applyRuns(runs, rejected);
        if (!repeated.isEmpty()) {
            // A repeat's verdict is its first copy's, which an earlier batch may have decided.
            db.sql("SELECT event_id, reason FROM event_rejections WHERE event_id = ANY (?)")
                    .param(repeated.toArray(UUID[]::new))
                    .query((rs, n) -> rejected.putIfAbsent(rs.getObject(1, UUID.class), rs.getString(2)))
                    .list();
        }
        return storeOffsets(records, rejected);
    }

    /** Applies every gathered run, in the order their first events came, and forgets them. */
    private void applyRuns(Map<EventApplier, List<Read>> runs, Map<UUID, String> rejected) {
        runs.forEach((applier, run) -> applyRun(applier, run, rejected));
        runs.clear();
    }

    /** Applies a run of events of one type that their applier applies together, recording what it refused. */
    private void applyRun(EventApplier applier, List<Read> run, Map<UUID, String> rejected) {
        List<LogPosition> positions = run.stream()
                .map(r -> new LogPosition(r.record().topic(), r.record().partition(), r.record().offset())).toList();
        List<Event> events = run.stream().map(Read::event).toList();
        Map<UUID, String> refused = run.size() == 1 ? EventApplier.applyEach(applier, events, positions, db)
                : applier.applyTogether(events, positions, db);
        for (Read read : run) {
            String reason = refused.get(read.event().id());
            if (reason != null) {
                rejected.put(read.event().id(), reject(read.event(), read.record(), reason));
            }
        }
    }

    private void skip(ConsumerRecord<String, String> record, String reason) {
        deadLetters.recordIn(db, "projector", DeadLetters.Letter.of(record), reason);
    }

    /**
     * Appends the batch to the immutable events table in one statement; returns the ids it had
     * not recorded before (the events to apply).
     */
    private Set<UUID> recordEvents(List<Read> reads) {
        if (reads.isEmpty()) {
            return new HashSet<>();
        }
        int n = reads.size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        int[] versions = new int[n];
        String[] ats = new String[n];
        UUID[] actors = new UUID[n];
        String[] keys = new String[n];
        String[] topics = new String[n];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        String[] data = new String[n];
        for (int i = 0; i < n; i++) {
            Event event = reads.get(i).event();
            ConsumerRecord<String, String> record = reads.get(i).record();
            ids[i] = event.id();
            types[i] = event.type();
            versions[i] = event.v();
            ats[i] = timestampText(event.at());
            actors[i] = event.actor();
            keys[i] = event.key();
            topics[i] = record.topic();
            partitions[i] = record.partition();
            offsets[i] = record.offset();
            data[i] = json.writeValueAsString(event.logged());
        }
        return new HashSet<>(db.sql("""
                        INSERT INTO events (id, type, v, at, actor, key, topic, partition, "offset", data)
                        SELECT id, type, v, at::timestamptz, actor, key, topic, partition, off, data::jsonb
                        FROM unnest(?::uuid[], ?::text[], ?::int[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::int[],
                                    ?::bigint[], ?::text[])
                             AS batch(id, type, v, at, actor, key, topic, partition, off, data)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id""")
                .params(ids, types, versions, ats, actors, keys, topics, partitions, offsets, data)
                .query(UUID.class).list());
    }

    /**
     * An instant as PostgreSQL stores it when the JDBC driver is handed it as a Timestamp, in text
     * (for the arrays of a statement that writes many rows at once).
     */
    public static String timestampText(Instant at) {
        return toMicros(at).toString();
    }

    /** Rounded to PostgreSQL's microseconds half up, as the JDBC driver rounds a Timestamp. */
    private static Instant toMicros(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond(), (at.getNano() + 500L) / 1000 * 1000);
    }

    /**
     * Records the refusal, with where the event lies in the log (so that the speed layer learns the
     * verdicts on a stretch of a partition in one query); returns the reason as stored, which the
     * waiting write is answered with.
     */
    private String reject(Event event, ConsumerRecord<String, String> record, String reason) {
        String stored = DeadLetters.clean(reason);
        db.sql("INSERT INTO event_rejections (event_id, reason, topic, partition, log_offset) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")
                .params(event.id(), stored, record.topic(), record.partition(), record.offset())
                .update();
        return stored;
    }

    /** Stores the next offset of every partition of the batch (and announces them) in one statement. */
    private ProjectionTracker.Applied storeOffsets(List<ConsumerRecord<String, String>> records,
                                                   Map<UUID, String> rejected) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            first.merge(partition, record.offset(), Math::min);
            next.merge(partition, record.offset() + 1, Math::max);
        }
        String[] topics = new String[next.size()];
        int[] partitions = new int[next.size()];
        long[] offsets = new long[next.size()];
        int i = 0;
        for (var e : next.entrySet()) {
            topics[i] = e.getKey().topic();
            partitions[i] = e.getKey().partition();
            offsets[i++] = e.getValue();
        }
        String upsert = """
                INSERT INTO projector_offsets (topic, partition, next_offset)
                SELECT * FROM unnest(?::text[], ?::int[], ?::bigint[])
                ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset""";
        if (notify) {
            String payload = next.entrySet().stream()
                    .map(e -> e.getKey().topic() + ":" + e.getKey().partition() + ":" + e.getValue())
                    .collect(Collectors.joining(","));
            // Data-modifying WITH runs whether or not the SELECT reads it.
            db.sql("WITH stored AS (" + upsert + ") SELECT pg_notify('" + ProjectionTracker.CHANNEL + "', ?)")
                    .params(topics, partitions, offsets, payload).query().singleValue();
        } else {
            db.sql(upsert).params(topics, partitions, offsets).update();
        }
        return new ProjectionTracker.Applied(first, next, rejected);
    }
}

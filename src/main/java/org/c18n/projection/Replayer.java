package org.c18n.projection;

import org.c18n.eventlog.Topics;
import org.c18n.infra.DatabaseConnection;
import org.c18n.infra.InfrastructureConfig;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.PersonKeys;
import org.c18n.reader.DeadLetters;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Rebuilds every view from the log into a fresh schema: the same migrations, the same
 * projections, fed with every record of the domain topics up to their current end.
 *
 * <p>Partitions are merged by event time, never reordering a partition, so that facts that
 * depend on each other across partitions (a user registered, then joined a community) are
 * applied in the order they happened, as they were live.
 */
@Component
public class Replayer {
    private static final int BATCH = 1000;
    private static final int BUFFER_PER_PARTITION = 5000;

    private final KafkaConnection kafka;
    private final DatabaseConnection database;
    private final List<EventApplier> appliers;
    private final ObjectMapper json;
    private final JdbcClient db;
    private final DeadLetters deadLetters;
    private final PersonKeys keys;

    public Replayer(KafkaConnection kafka, DatabaseConnection database, List<EventApplier> appliers, ObjectMapper json,
                    JdbcClient db, DeadLetters deadLetters, PersonKeys keys) {
        this.keys = keys;
        this.deadLetters = deadLetters;
        this.kafka = kafka;
        this.database = database;
        this.appliers = appliers;
        this.json = json;
        this.db = db;
    }

    /** {@code millis} the whole rebuild; {@code applyMillis} the part spent reading and applying the log. */
    public record Summary(long records, Map<TopicPartition, Long> endOffsets, long millis, long applyMillis) {}

    /** Drops {@code schema} if present and rebuilds it from the log; {@code progress} hears the count so far. */
    public Summary rebuild(String schema, LongConsumer progress) {
        long started = System.nanoTime();
        db.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
        InfrastructureConfig.migrate(database, schema);
        try (HikariDataSource target = schemaDataSource(database, schema);
             KafkaConsumer<String, String> consumer = consumer()) {
            ProjectionStore store = new ProjectionStore(target, appliers, json, deadLetters, keys, false);
            List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer, Topics.DOMAIN);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long applying = System.nanoTime();
            long applied = mergeAndApply(consumer, partitions, end, store, progress);
            long now = System.nanoTime();
            return new Summary(applied, end, (now - started) / 1_000_000, (now - applying) / 1_000_000);
        }
    }

    private long mergeAndApply(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions,
                               Map<TopicPartition, Long> end, ProjectionStore store, LongConsumer progress) {
        Map<TopicPartition, ArrayDeque<ConsumerRecord<String, String>>> buffers = new LinkedHashMap<>();
        Map<TopicPartition, Long> fetched = new HashMap<>();
        for (TopicPartition p : partitions) {
            buffers.put(p, new ArrayDeque<>());
            fetched.put(p, 0L);
        }
        List<ConsumerRecord<String, String>> batch = new ArrayList<>(BATCH);
        long applied = 0;
        while (true) {
            // Every partition not yet read to its end must show its next record before we pick the earliest.
            boolean waiting = true;
            while (waiting) {
                waiting = false;
                List<TopicPartition> full = new ArrayList<>();
                for (TopicPartition p : partitions) {
                    if (buffers.get(p).isEmpty() && fetched.get(p) < end.get(p)) {
                        waiting = true;
                    }
                    if (buffers.get(p).size() >= BUFFER_PER_PARTITION) {
                        full.add(p);
                    }
                }
                if (!waiting) {
                    break;
                }
                consumer.pause(full);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(p)) {
                        buffers.get(p).add(record);
                    }
                    fetched.merge(p, record.offset() + 1, Math::max);
                }
                consumer.resume(full);
                for (TopicPartition p : partitions) {
                    // Transaction markers and compaction leave gaps: the position is the truth.
                    fetched.merge(p, consumer.position(p), Math::max);
                }
            }
            ConsumerRecord<String, String> earliest = null;
            ArrayDeque<ConsumerRecord<String, String>> from = null;
            for (ArrayDeque<ConsumerRecord<String, String>> buffer : buffers.values()) {
                ConsumerRecord<String, String> head = buffer.peekFirst();
                if (head != null && (earliest == null || head.timestamp() < earliest.timestamp())) {
                    earliest = head;
                    from = buffer;
                }
            }
            if (earliest == null) {
                break;
            }
            from.pollFirst();
            batch.add(earliest);
            if (batch.size() == BATCH) {
                store.applyBatch(batch);
                applied += batch.size();
                progress.accept(applied);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.applyBatch(batch);
            applied += batch.size();
            progress.accept(applied);
        }
        return applied;
    }

    /**
     * Every table of a view schema, as its migrations (db/views) made it: the whole schema is
     * derived from the log, so a table a feature adds is compared without being listed anywhere.
     */
    public List<String> viewTables(String schema) {
        return db.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'"
                + " AND table_name <> 'flyway_schema_history' ORDER BY table_name").param(schema).query(String.class).list();
    }

    /** A checksum of every view table's content, for comparing two schemas. */
    public Map<String, String> checksums(String schema) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : viewTables(schema)) {
            sums.put(table, db.sql("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    + " FROM " + schema + "." + table + " t").query(String.class).single());
        }
        return sums;
    }

    /** Puts the rebuilt schema in place of the live one (the platform's projector must be stopped). */
    public void swapIn(String rebuilt) {
        String live = InfrastructureConfig.VIEW_SCHEMA;
        db.sql("DROP SCHEMA IF EXISTS " + live + "_previous CASCADE").update();
        db.sql("ALTER SCHEMA " + live + " RENAME TO " + live + "_previous").update();
        db.sql("ALTER SCHEMA " + rebuilt + " RENAME TO " + live).update();
        db.sql("DROP SCHEMA " + live + "_previous CASCADE").update();
    }

    /** Two connections that write to {@code schema}'s views, as a rebuild does. */
    public static HikariDataSource schemaDataSource(DatabaseConnection database, String schema) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("c18n-replay");
        config.setJdbcUrl(database.url());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        // No WAL flush per batch: a replay cut short leaves a schema the next replay drops anyway.
        config.addDataSourceProperty("options", "-c search_path=" + schema + ",public -c synchronous_commit=off");
        return new HikariDataSource(config);
    }

    private KafkaConsumer<String, String> consumer() {
        return kafka.consumer("c18n-replay", Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
    }
}

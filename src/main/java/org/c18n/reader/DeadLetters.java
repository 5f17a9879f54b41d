package org.c18n.reader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where the log's readers put a record they cannot apply, so that one record never stops a
 * partition: its raw bytes go to the {@code dead_letters} table (bytes and a cleaned reason, which
 * no content can make fail), a metric counts it, and the reader moves on.
 */
@Component
public class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int REASON_LENGTH = 500;

    private final JdbcClient db;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DeadLetters(JdbcClient db, MeterRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    /** A record as a reader saw it: where it is in the log and its raw content. */
    public record Letter(String topic, int partition, long offset, byte[] key, byte[] value) {
        public static Letter of(ConsumerRecord<String, String> record) {
            return new Letter(record.topic(), record.partition(), record.offset(), bytes(record.key()),
                    bytes(record.value()));
        }

        private static byte[] bytes(String text) {
            return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Why a record was skipped: what could not be done with it, and the error that said so. */
    public static String reason(String what, Throwable error) {
        return what + ": " + error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /** Records and counts a record {@code reader} skips; never throws, whatever the record holds. */
    public void record(String reader, ConsumerRecord<String, String> record, String reason) {
        record(reader, Letter.of(record), reason);
    }

    /** Records and counts a record {@code reader} skips; never throws, whatever the record holds. */
    public void record(String reader, Letter letter, String reason) {
        try {
            insert(db, reader, letter, reason);
        } catch (RuntimeException e) {
            log.error("Could not record the skipped record {}-{}@{} of {}", letter.topic(), letter.partition(),
                    letter.offset(), reader, e);
        }
        counted(reader, letter, reason);
    }

    /**
     * Records a skipped record with {@code target}'s connection, in its transaction (the
     * projector's): counted once that transaction commits, as a batch that fails is applied again.
     */
    public void recordIn(JdbcClient target, String reader, Letter letter, String reason) {
        insert(target, reader, letter, reason);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counted(reader, letter, reason);
                }
            });
        } else {
            counted(reader, letter, reason);
        }
    }

    private void counted(String reader, Letter letter, String reason) {
        log.warn("{} skipped the record at {}-{}@{}: {}", reader, letter.topic(), letter.partition(), letter.offset(),
                clean(reason));
        counters.computeIfAbsent(reader, r -> Counter.builder("c18n.dead.letters")
                .description("Records of the log a reader could not apply, recorded in dead_letters and skipped")
                .tag("reader", r).register(registry)).increment();
    }

    private static void insert(JdbcClient target, String reader, Letter letter, String reason) {
        target.sql("""
                        INSERT INTO dead_letters (reader, topic, partition, "offset", record_key, record_value, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(reader, letter.topic(), letter.partition(), letter.offset(), letter.key(), letter.value(),
                        clean(reason))
                .update();
    }

    /** The reason as text PostgreSQL takes: no NUL, not too long. */
    public static String clean(String reason) {
        String text = reason == null ? "unknown" : reason.replace('\u0000', ' ');
        return text.length() <= REASON_LENGTH ? text : text.substring(0, REASON_LENGTH) + "…";
    }
}

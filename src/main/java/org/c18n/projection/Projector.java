package org.c18n.projection;

import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.ReaderHealth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.c18n.infra.C18nProperties;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The read side's writer: consumes the domain topics as consumer group {@code c18n-projector}
 * and applies each poll's batch to the views in one transaction that also records the events
 * and the consumer offsets, so a restart resumes exactly where the views are.
 */
@Component
public class Projector implements SmartLifecycle {
    public static final String GROUP = "c18n-projector";
    private static final Logger log = LoggerFactory.getLogger(Projector.class);

    private final KafkaConnection kafka;
    private final ProjectionStore store;
    private final ProjectionTracker tracker;
    private final ReaderHealth health;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    private final boolean replayMode;

    private final String nodeIdentity;

    public Projector(KafkaConnection kafka, ProjectionStore store, ProjectionTracker tracker, ReaderHealth health,
                     C18nProperties props) {
        this.health = health;
        this.replayMode = props.replayMode();
        this.nodeIdentity = props.nodeIdentity();
        this.kafka = kafka;
        this.store = store;
        this.tracker = tracker;
    }

    @Override
    public void start() {
        consumer = kafka.consumer("c18n-projector", Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "projector-" + nodeIdentity,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000));
        running = true;
        thread = new Thread(this::run, "c18n-projector");
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(Topics.DOMAIN, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    seekToStoredOffsets(partitions);
                }
            });
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    advanceToPositions();
                    continue;
                }
                List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                try {
                    Map<TopicPartition, Long> next = store.applyBatch(batch);
                    tracker.advance(next);
                    advanceToPositions();
                    health.progressed(GROUP);
                } catch (RuntimeException e) {
                    // Only what trying again may cure comes here (the database away): anything else was skipped.
                    health.failed(GROUP, e);
                    log.error("Projecting a batch of {} events failed; will retry from the stored offsets", batch.size(), e);
                    sleepQuietly(1000);
                    seekToStoredOffsets(consumer.assignment());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            health.stopped(GROUP, e);
            log.error("Projector stopped", e);
        } finally {
            // A node that stops on purpose hands its partitions over at once; one that crashed
            // keeps them (static membership) until it is back or its session times out.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    /**
     * Everything before the consumer's position is applied: on topics written in transactions (the
     * speed layer's) the position is past the commit markers, which are offsets no record has.
     */
    private void advanceToPositions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, consumer.position(partition));
        }
        tracker.advance(positions);
        // Also committed to Kafka, only so that the group's lag can be watched like any other
        // (the stored offsets in PostgreSQL stay the truth this projector resumes from).
        if (!positions.equals(committed)) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
            positions.forEach((tp, offset) -> offsets.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)));
            consumer.commitAsync(offsets, null);
            committed = positions;
        }
    }

    private Map<TopicPartition, Long> committed = Map.of();

    private void seekToStoredOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = store.storedOffsets();
        for (TopicPartition partition : partitions) {
            Long offset = stored.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
        Map<TopicPartition, Long> known = new HashMap<>(stored);
        known.keySet().retainAll(partitions);
        tracker.advance(known);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConnection.stopReader(consumer, thread);
    }

    @Override
    public boolean isAutoStartup() {
        return !replayMode;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Start before the web server accepts requests, stop after it stopped.
        return Integer.MAX_VALUE / 2;
    }
}

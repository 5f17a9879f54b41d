package org.c18n.projection;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.springframework.stereotype.Component;

/**
 * The read side's writer: consumes the domain topics as consumer group {@code c18n-projector}
 * (the nodes share the partitions) and applies each poll's batch to the views in one transaction
 * that also records the events and the consumer offsets, so a restart resumes exactly where the
 * views are. A batch the database could not take is read again from those offsets.
 */
@Component
public class Projector extends LogReader {
    public static final String GROUP = "c18n-projector";

    private final ProjectionStore store;
    private final ProjectionTracker tracker;

    public Projector(ReaderSupport support, ProjectionStore store, ProjectionTracker tracker) {
        super(support, "projector", Topics.DOMAIN, Start.STORED_POSITIONS, Group.shared(GROUP));
        this.store = store;
        this.tracker = tracker;
    }

    @Override
    protected Map<String, Object> consumerSettings() {
        return Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    }

    /** The offsets stored with the views: everything below them is applied, whichever node applied it. */
    @Override
    protected Map<TopicPartition, Long> storedPositions() {
        Map<TopicPartition, Long> stored = store.storedOffsets();
        tracker.advance(stored);
        return stored;
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        tracker.applied(store.applyBatch(batch));
    }

    /**
     * Everything before the consumer's position is applied: on topics written in transactions (the
     * speed layer's) the position is past the commit markers, which are offsets no record has.
     */
    @Override
    protected void afterPoll() {
        tracker.advance(positions());
    }

    /** Only what trying again may cure comes here (the database away): the store skipped anything else. */
    @Override
    protected boolean worthRetrying(RuntimeException error) {
        return true;
    }
}

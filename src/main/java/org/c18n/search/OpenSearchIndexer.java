package org.c18n.search;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Feeds the cluster's one OpenSearch index from the log (search backend {@code opensearch}). The
 * nodes share one consumer group, {@value #GROUP}: each partition is read by one node, so each
 * event is indexed once per cluster. A batch goes to OpenSearch as one bulk request; once
 * OpenSearch took it, a second one stores the positions in the index itself. They, not the
 * group's committed offsets (kept only to show the lag), are where a node taking a partition
 * resumes. Writing a batch again after a crash between the two is harmless: documents are keyed
 * by the ids of what they show, and an edit replaces the whole document.
 *
 * <p>Searchable within {@value #REFRESH_MILLIS} ms: the node that wrote asks for a refresh.
 */
@Component
@ConditionalOnProperty(name = SearchProperties.BACKEND, havingValue = "opensearch")
public class OpenSearchIndexer extends LogReader {
    private static final Logger log = LoggerFactory.getLogger(OpenSearchIndexer.class);
    static final String GROUP = "c18n-search";
    private static final long REFRESH_MILLIS = 250;
    private static final int FETCH_WAIT_MILLIS = 100;

    private final KafkaConnection kafka;
    private final IndexFeed feed;
    private final OpenSearchIndex index;
    private long lastRefresh;
    private boolean unrefreshed;

    OpenSearchIndexer(ReaderSupport support, IndexFeed feed, OpenSearchIndex index) {
        super(support, "search", SearchIndexer.TOPICS, Start.STORED_POSITIONS, Group.shared(GROUP));
        this.kafka = support.kafka();
        this.feed = feed;
        this.index = index;
    }

    /**
     * Read from OpenSearch each time partitions are assigned: another node may have indexed them
     * since. The index is made here, not at start, so a node starts while OpenSearch is away
     * (searches answer 503) and its reader makes the index once OpenSearch answers.
     */
    @Override
    protected Map<TopicPartition, Long> storedPositions() {
        index.ensure();
        index.refresh(index.alias()); // the node that had the partition stored its last positions without one
        return index.positions(index.alias());
    }

    @Override
    protected Map<String, Object> consumerSettings() {
        return Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MILLIS,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    }

    @Override
    protected Duration pollTimeout() {
        return Duration.ofMillis(unrefreshed ? REFRESH_MILLIS : 500);
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        apply(index.alias(), batch, Duration.ofDays(365));
        unrefreshed = true;
    }

    @Override
    protected void afterPoll() {
        long now = System.nanoTime();
        if (unrefreshed && now - lastRefresh >= REFRESH_MILLIS * 1_000_000) {
            index.refresh(index.alias());
            lastRefresh = now;
            unrefreshed = false;
        }
    }

    /** OpenSearch down or overloaded: the batch is written again from the stored positions once it is back. */
    @Override
    protected boolean worthRetrying(RuntimeException error) {
        // The projector's verdicts come from PostgreSQL: a database that is away for a while is waited for too.
        return error instanceof OpenSearchClient.Unavailable || error instanceof org.springframework.dao.DataAccessException;
    }

    private void apply(String target, List<ConsumerRecord<String, String>> records, Duration patience) {
        OpenSearchIndex.Bulk bulk = index.bulk(target);
        IndexFeed.Applied applied = feed.apply(bulk, records, patience, this::stopping, this::deadLetter);
        Map<TopicPartition, Map<Long, ConsumerRecord<String, String>>> byOffset = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            byOffset.computeIfAbsent(partition, p -> new HashMap<>()).put(record.offset(), record);
            if (applied.indexed(i)) {
                bulk.event(applied.events().get(i), partition, record.offset());
            }
        }
        bulk.finish();
        for (OpenSearchIndex.Failure failure : bulk.failures()) {
            ConsumerRecord<String, String> record = failure.partition() == null ? null
                    : byOffset.getOrDefault(failure.partition(), Map.of()).get(failure.offset());
            if (record == null) {
                log.warn("OpenSearch refused a write of the search indexer: {}", failure.reason());
            } else {
                deadLetter(record, "refused by OpenSearch: " + failure.reason());
            }
        }
    }

    /**
     * The {@code replay} command's rebuild: fills a new index from the whole log, up to its end at the
     * time of the call, then points the alias at it and deletes the old one; returns the number of
     * documents. Run it with the nodes stopped (they would go on writing to the old index meanwhile).
     */
    public long rebuild(LongConsumer progress) {
        index.ensure();
        String rebuilt = rebuildInto(progress);
        index.swap(rebuilt);
        return index.count(rebuilt);
    }

    /** Fills a new index from the whole log and answers its name, leaving the alias as it is. */
    String rebuildInto(LongConsumer progress) {
        String target = index.create();
        try {
            SearchIndexer.readWholeLog(kafka, records -> apply(target, records, Duration.ofSeconds(30)), progress);
            index.refresh(target);
            return target;
        } catch (RuntimeException e) {
            index.client().delete(target);
            throw e;
        }
    }

    /** Where the index is, for the operator. */
    public String describe() {
        return "OpenSearch alias " + index.alias();
    }
}

package org.c18n.search;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.c18n.eventlog.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps this node's search index fed from the log (search backend {@code lucene}, the default): its own consumer (group
 * {@code c18n-search-<node>}, so every node's index holds everything), a refresh at most every
 * {@value #REFRESH_MILLIS} ms while events arrive (findable well within a second), a durable
 * commit with the offsets every {@value #COMMIT_MILLIS} ms. A trickle of events (chat at tens of
 * messages a second) is fetched in batches of up to {@value #FETCH_WAIT_MILLIS} ms rather than one
 * poll, projector check and rejection lookup per message.
 *
 * <p>The index follows the projector's verdicts ({@link IndexFeed}).
 */
@Component
@ConditionalOnProperty(name = SearchProperties.BACKEND, havingValue = "lucene", matchIfMissing = true)
public class SearchIndexer extends LogReader {
    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);
    static final List<String> TOPICS = List.of(Topics.USERS, Topics.COMMUNITIES, Topics.POSTS, Topics.MESSAGES);
    private static final long REFRESH_MILLIS = 250;
    /** What arrives within this long of a few records is indexed with them, so that a trickle of chat is indexed in batches. */
    private static final Duration GATHER = Duration.ofMillis(100);
    private static final long COMMIT_MILLIS = 10_000;

    private final KafkaConnection kafka;
    private final IndexFeed feed;
    private final Path path;
    private volatile SearchIndex index;
    private long lastRefresh;
    private long lastCommit = System.nanoTime();
    private boolean unrefreshed;
    private boolean uncommitted;

    SearchIndexer(ReaderSupport support, IndexFeed feed) {
        super(support, "search", TOPICS, Start.STORED_POSITIONS,
                Group.perNode("c18n-search", support.props().nodeIdentity()));
        this.kafka = support.kafka();
        this.feed = feed;
        this.path = support.props().dataDir().resolve("search");
    }

    /** The live index of this node. */
    public SearchIndex index() {
        SearchIndex current = index;
        if (current == null) {
            throw new IllegalStateException("The search index is not open");
        }
        return current;
    }

    @Override
    public void start() {
        index = SearchIndex.open(path);
        if (index.rebuilt()) {
            log.info("Search index at {} is new: building it from the log", path);
        }
        super.start();
    }

    /** The offsets the index holds: at start, those of its last commit, which match its documents. */
    @Override
    protected Map<TopicPartition, Long> storedPositions() {
        return index.offsets();
    }

    @Override
    protected Duration gatherFor() {
        return GATHER;
    }

    @Override
    protected Duration pollTimeout() {
        return Duration.ofMillis(unrefreshed ? REFRESH_MILLIS : 500);
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        apply(index, batch, Duration.ofDays(365));
        unrefreshed = uncommitted = true;
    }

    /** Searchable within {@value #REFRESH_MILLIS} ms; durable, with the offsets, every {@value #COMMIT_MILLIS} ms. */
    @Override
    protected void afterPoll() {
        long now = System.nanoTime();
        if (unrefreshed && now - lastRefresh >= REFRESH_MILLIS * 1_000_000) {
            index.refresh();
            lastRefresh = now;
            unrefreshed = false;
        }
        if (uncommitted && now - lastCommit >= COMMIT_MILLIS * 1_000_000) {
            index.commit();
            lastCommit = now;
            uncommitted = false;
        }
    }

    @Override
    protected void beforeClose() {
        index.commit();
    }

    private void apply(SearchIndex target, List<ConsumerRecord<String, String>> records, Duration patience) {
        feed.apply(target, records, patience, this::stopping, this::deadLetter);
    }

    /**
     * Builds a new index at {@code target} from the whole log, up to its end at the time of the call,
     * and returns it open; {@code progress} hears the number of events read so far.
     */
    public SearchIndex rebuildInto(Path target, LongConsumer progress) {
        SearchIndex rebuilt = openEmpty(target);
        try {
            readWholeLog(kafka, records -> apply(rebuilt, records, Duration.ofSeconds(30)), progress);
            rebuilt.commit();
            rebuilt.refresh();
            return rebuilt;
        } catch (RuntimeException e) {
            rebuilt.close();
            throw e;
        }
    }

    /**
     * Reads the search topics from their start up to their end at the time of the call, handing each
     * poll's records to {@code batch}; {@code progress} hears the number of records read so far.
     */
    static void readWholeLog(KafkaConnection kafka, Consumer<List<ConsumerRecord<String, String>>> batch,
                             LongConsumer progress) {
        try (KafkaConsumer<String, String> reader = kafka.consumer("c18n-search-rebuild", Map.of())) {
            List<TopicPartition> partitions = KafkaConnection.partitionsOf(reader, TOPICS);
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long read = 0;
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
                if (!records.isEmpty()) {
                    batch.accept(records);
                    read += records.size();
                    progress.accept(read);
                }
            }
        }
    }

    /**
     * The {@code replay} command's rebuild: builds a new index beside this node's and puts it in
     * its place; returns the number of documents. Refused while a running node holds the index.
     */
    public int rebuildInPlace(LongConsumer progress) {
        if (SearchIndex.inUse(path)) {
            throw new IllegalStateException("the search index at " + path + " is in use by a running node; stop it and "
                    + "replay again, or delete that folder and restart the node (it rebuilds a missing index itself)");
        }
        Path next = path.resolveSibling(path.getFileName() + ".rebuild");
        int documents;
        try (SearchIndex rebuilt = rebuildInto(next, progress)) {
            documents = rebuilt.size();
        }
        try {
            org.springframework.util.FileSystemUtils.deleteRecursively(path);
            java.nio.file.Files.move(next, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return documents;
    }

    private static SearchIndex openEmpty(Path target) {
        try {
            org.springframework.util.FileSystemUtils.deleteRecursively(target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return SearchIndex.open(target);
    }

    /** Where this node keeps its index. */
    public Path path() {
        return path;
    }

    @Override
    public void stop() {
        super.stop();
        SearchIndex current = index;
        if (current != null) {
            current.close();
        }
    }
}

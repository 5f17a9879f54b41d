package org.c18n.search;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.infra.C18nProperties;
import org.c18n.reader.DeadLetters;
import org.c18n.eventlog.Event;
import org.c18n.infra.KafkaConnection;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.reader.ReaderHealth;
import org.c18n.eventlog.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps this node's search index fed from the log: its own consumer (group
 * {@code c18n-search-<node>}, so every node's index holds everything), a refresh at most every
 * {@value #REFRESH_MILLIS} ms while events arrive (findable well within a second), a durable
 * commit with the offsets every {@value #COMMIT_MILLIS} ms.
 *
 * <p>The index follows the projector's verdicts: before applying a batch it waits until the
 * projector has applied it, and skips the events the projector rejected (a second claim of a
 * username, an edit of a deleted post), so search never shows what the views refused.
 */
@Component
public class SearchIndexer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);
    private static final String READER = "search";
    static final List<String> TOPICS = List.of(Topics.USERS, Topics.COMMUNITIES, Topics.POSTS, Topics.MESSAGES);
    private static final long REFRESH_MILLIS = 100;
    private static final long COMMIT_MILLIS = 10_000;

    private final KafkaConnection kafka;
    private final ProjectionTracker projection;
    private final JdbcClient db;
    private final ObjectMapper json;
    private final SearchFeed feed;
    private final DeadLetters deadLetters;
    private final ReaderHealth health;
    private final Path path;
    private final String group;
    private final boolean replayMode;
    private volatile SearchIndex index;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private volatile Thread thread;

    public SearchIndexer(KafkaConnection kafka, ProjectionTracker projection, JdbcClient db, ObjectMapper json,
                         DeadLetters deadLetters, ReaderHealth health, C18nProperties props) {
        this.deadLetters = deadLetters;
        this.health = health;
        this.kafka = kafka;
        this.projection = projection;
        this.db = db;
        this.json = json;
        this.feed = new SearchFeed();
        this.path = props.dataDir().resolve("search");
        this.group = "c18n-search-" + props.nodeIdentity();
        this.replayMode = props.replayMode();
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
        consumer = kafka.consumer(group, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer, TOPICS);
        consumer.assign(partitions);
        Map<TopicPartition, Long> stored = index.offsets();
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition);
            if (next == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, next);
            }
        }
        running = true;
        thread = new Thread(this::run, "c18n-search-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long lastRefresh = 0;
        long lastCommit = System.nanoTime();
        boolean unrefreshed = false;
        boolean uncommitted = false;
        try {
            while (running) {
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                consumer.poll(Duration.ofMillis(unrefreshed ? REFRESH_MILLIS : 500)).forEach(records::add);
                if (!records.isEmpty()) {
                    apply(index, records, Duration.ofDays(365));
                    unrefreshed = uncommitted = true;
                }
                long now = System.nanoTime();
                if (unrefreshed && now - lastRefresh >= REFRESH_MILLIS * 1_000_000) {
                    index.refresh();
                    lastRefresh = now;
                    unrefreshed = false;
                }
                if (uncommitted && now - lastCommit >= COMMIT_MILLIS * 1_000_000) {
                    commit();
                    lastCommit = now;
                    uncommitted = false;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            health.stopped(READER, e);
            log.error("Search indexing stopped; searches show what was indexed so far", e);
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                log.warn("Could not commit the search index on stop", e);
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void commit() {
        index.commit();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        index.offsets().forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        // The group's committed offsets only show this node's lag to operators; the index's own commit is the truth.
        consumer.commitAsync(offsets, null);
    }

    /**
     * Applies a batch once the projector has applied it, leaving out what it rejected. Waits for the
     * projector in steps of a second until {@code patience} has passed (then fails: the projector is not running).
     */
    private void apply(SearchIndex target, List<ConsumerRecord<String, String>> records, Duration patience) {
        Map<TopicPartition, Long> last = new HashMap<>();
        List<Event> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            last.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::max);
            events.add(readable(record));
        }
        long deadline = System.nanoTime() + patience.toNanos();
        for (Map.Entry<TopicPartition, Long> entry : last.entrySet()) {
            while (!projection.awaitApplied(entry.getKey().topic(), entry.getKey().partition(), entry.getValue(),
                    Duration.ofSeconds(1))) {
                if (!running && thread == Thread.currentThread()) {
                    throw new WakeupException();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The projector has not applied " + entry.getKey() + " up to offset "
                            + entry.getValue() + "; start the platform so that it catches up, then try again");
                }
            }
        }
        Set<UUID> rejected = rejected(events);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            Event event = events.get(i);
            if (event != null && !rejected.contains(event.id())) {
                try {
                    feed.apply(target, event);
                } catch (java.io.UncheckedIOException | org.apache.lucene.store.AlreadyClosedException e) {
                    throw e; // the index itself failed, not this event
                } catch (RuntimeException e) {
                    skip(record, DeadLetters.reason("cannot be indexed", e));
                }
            }
            target.advance(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
    }

    /** The record's event, or null (recorded as skipped) when it is not one. */
    private Event readable(ConsumerRecord<String, String> record) {
        try {
            return Event.parse(json, record.value());
        } catch (Event.UnreadableEvent e) {
            skip(record, "unreadable: " + e.getMessage());
            return null;
        }
    }

    private void skip(ConsumerRecord<String, String> record, String reason) {
        deadLetters.record(READER, record, reason);
    }

    private Set<UUID> rejected(List<Event> events) {
        UUID[] ids = events.stream().filter(java.util.Objects::nonNull).map(Event::id).toArray(UUID[]::new);
        return new HashSet<>(db.sql("SELECT event_id FROM event_rejections WHERE event_id = ANY (?)").param(ids)
                .query(UUID.class).list());
    }

    /**
     * Builds a new index at {@code target} from the whole log, up to its end at the time of the call,
     * and returns it open; {@code progress} hears the number of events read so far.
     */
    public SearchIndex rebuildInto(Path target, LongConsumer progress) {
        SearchIndex rebuilt = openEmpty(target);
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
                    apply(rebuilt, records, Duration.ofSeconds(30));
                    read += records.size();
                    progress.accept(read);
                }
            }
            rebuilt.commit();
            rebuilt.refresh();
            return rebuilt;
        } catch (RuntimeException e) {
            rebuilt.close();
            throw e;
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
    public boolean isAutoStartup() {
        return !replayMode;
    }

    @Override
    public void stop() {
        running = false;
        KafkaConnection.stopReader(consumer, thread);
        SearchIndex current = index;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

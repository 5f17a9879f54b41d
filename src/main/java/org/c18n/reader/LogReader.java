package org.c18n.reader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.infra.KafkaConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A reader of the log on this node, with its own consumer and thread {@code c18n-<name>}: it
 * takes its partitions, starts where it should, polls, hands each batch to the subclass, and
 * stops on request. A record it cannot apply goes to the dead letters, never stops it; its
 * trouble shows in the {@code readers} health; with a consumer group, its positions are
 * committed there so that its lag shows ({@link ConsumerLag}). A subclass says what it reads,
 * where its positions live and how it applies a batch. Nothing starts in replay mode.
 */
public abstract class LogReader implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LogReader.class);
    private static final long RETRY_LOG_SECONDS = 30;
    /** A batch this large is applied without gathering more (Kafka's default records per poll). */
    private static final int GATHERED_ENOUGH = 500;

    /** Where the reader starts on each partition. */
    public enum Start {
        /** At {@link #storedPositions()}; from the beginning of a partition it stored nothing for. */
        STORED_POSITIONS,
        BEGINNING,
        END
    }

    /**
     * The reader's consumer group. {@code shared}: the nodes share the partitions (Kafka assigns
     * them, with static membership per node); otherwise every node reads them all and the group
     * only holds committed positions, to show the lag as {@code c18n_consumer_lag{group=label}}.
     */
    public record Group(String id, String label, boolean shared) {
        /** One group for the platform: each node reads its share of the partitions. */
        public static Group shared(String id) {
            return new Group(id, id, true);
        }

        /** A group per node ({@code <name>-<node>}), each reading every partition; its lag shows as {@code name}. */
        public static Group perNode(String name, String node) {
            return new Group(name + "-" + node, name, false);
        }
    }

    private final ReaderSupport support;
    private final String name;
    private final List<String> topics;
    private final Start start;
    private final Group group;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private Map<TopicPartition, Long> committed = Map.of();
    /** While retrying (on the reader's thread): since when, how often (0: not failing), when last logged (nanoTime). */
    private long failingSince;
    private long failedAttempts;
    private long lastLogged;

    /** A reader that reads every partition of {@code topics} and keeps no consumer group. */
    protected LogReader(ReaderSupport support, String name, List<String> topics, Start start) {
        this(support, name, topics, start, null);
    }

    protected LogReader(ReaderSupport support, String name, List<String> topics, Start start, Group group) {
        this.support = support;
        this.name = name;
        this.topics = List.copyOf(topics);
        this.start = start;
        this.group = group;
        if (group != null) {
            support.lag().watch(group.id(), group.label());
        }
    }

    /** Applies a batch of records in the log's order; throwing here stops the reader (or retries: {@link #worthRetrying}). */
    protected abstract void apply(List<ConsumerRecord<String, String>> batch);

    /** The topics it reads (those given to the constructor, unless a reader learns them later). */
    protected List<String> topics() {
        return topics;
    }

    /** The positions the reader keeps itself, for {@link Start#STORED_POSITIONS}. */
    protected Map<TopicPartition, Long> storedPositions() {
        return Map.of();
    }

    /** Settings of its consumer beyond the usual ones. */
    protected Map<String, Object> consumerSettings() {
        return Map.of();
    }

    /** How long a poll waits for records. */
    protected Duration pollTimeout() {
        return Duration.ofMillis(500);
    }

    /**
     * Once a poll brings a few records, how long to keep reading before applying them, so that a
     * trickle is applied in batches (none by default: applied at once). The fetch itself returns
     * as soon as a record arrives, so a quiet log costs no round trips for this.
     */
    protected Duration gatherFor() {
        return Duration.ZERO;
    }

    /** After every poll, whether it brought records or none (on the reader's thread). */
    protected void afterPoll() {}

    /**
     * A reader of every partition is at its start, its thread not started yet: {@link #positions()}
     * says where (the gateway tells its hub where live delivery begins).
     */
    protected void positioned() {}

    /** Before the consumer closes, on the reader's thread. */
    protected void beforeClose() {}

    /**
     * Whether trying again may cure what {@link #apply} or {@link #afterPoll} threw: the reader
     * then says so in its health, waits a second and reads again from its stored positions.
     * Otherwise it stops. Only for readers that start at {@link Start#STORED_POSITIONS}.
     */
    protected boolean worthRetrying(RuntimeException error) {
        return false;
    }

    /** Applies each record of the batch; a record that throws goes to the dead letters and the rest follow. */
    protected final void applyEach(List<ConsumerRecord<String, String>> batch, Consumer<ConsumerRecord<String, String>> apply) {
        for (ConsumerRecord<String, String> record : batch) {
            try {
                apply.accept(record);
            } catch (RuntimeException e) {
                deadLetter(record, DeadLetters.reason("cannot be applied", e));
            }
        }
    }

    /** Records and skips a record this reader cannot apply. */
    protected final void deadLetter(ConsumerRecord<String, String> record, String reason) {
        support.deadLetters().record(name, record, reason);
    }

    /** The consumer's next offset of every partition it holds (on the reader's thread, or in {@link #positioned()}). */
    protected final Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, consumer.position(partition));
        }
        return positions;
    }

    /** Whether the current thread is this reader's and was asked to stop (for waits inside {@link #apply}). */
    protected final boolean stopping() {
        return !running && Thread.currentThread() == thread;
    }

    @Override
    public void start() {
        consumer = support.kafka().consumer("c18n-" + name, settings());
        if (group == null || !group.shared()) {
            List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer, topics());
            consumer.assign(partitions);
            moveToStart(partitions);
            positioned();
        }
        running = true;
        thread = new Thread(this::run, "c18n-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>(consumerSettings());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.END ? "latest" : "earliest");
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group.id());
        }
        if (group != null && group.shared()) {
            settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, name + "-" + support.props().nodeIdentity());
            settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        } else {
            settings.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, KafkaConnection.IDLE_FETCH_WAIT_MILLIS);
        }
        return settings;
    }

    private void moveToStart(Collection<TopicPartition> partitions) {
        switch (start) {
            case BEGINNING -> consumer.seekToBeginning(partitions);
            case END -> consumer.seekToEnd(partitions);
            case STORED_POSITIONS -> {
                Map<TopicPartition, Long> stored = storedPositions();
                for (TopicPartition partition : partitions) {
                    Long next = stored.get(partition);
                    if (next == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, next);
                    }
                }
            }
        }
    }

    private void run() {
        try {
            if (group != null && group.shared()) {
                consumer.subscribe(topics(), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        moveToStart(partitions);
                    }
                });
            }
            boolean behind = false; // a batch failed: read again from the stored positions
            while (running) {
                if (behind) {
                    behind = !attempt("Going back to the stored positions", () -> moveToStart(consumer.assignment()));
                    continue;
                }
                // A poll runs the rebalance listener too, which reads the stored positions: that can fail as a batch can.
                behind = !attempt("Reading the log", () -> read(consumer.poll(pollTimeout())));
            }
        } catch (WakeupException e) {
            if (running) {
                stopped(e);
            }
        } catch (RuntimeException e) {
            stopped(e);
        } finally {
            close();
        }
    }

    private void read(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        gather(batch);
        if (!batch.isEmpty()) {
            apply(batch);
        }
        afterPoll();
        commitPositions();
        if (!batch.isEmpty()) {
            support.health().progressed(name);
        }
        if (failedAttempts > 0) {
            log.info("The {} reader reads again, after {} failed attempts in {} s", name, failedAttempts,
                    (System.nanoTime() - failingSince) / 1_000_000_000L);
            failedAttempts = 0;
        }
    }

    /** Adds what arrives within {@link #gatherFor()} to a batch that is not empty and not large already. */
    private void gather(List<ConsumerRecord<String, String>> batch) {
        long window = gatherFor().toNanos();
        if (batch.isEmpty() || window == 0) {
            return;
        }
        long deadline = System.nanoTime() + window;
        long left;
        while (batch.size() < GATHERED_ENOUGH && (left = deadline - System.nanoTime()) > 0) {
            consumer.poll(Duration.ofNanos(left)).forEach(batch::add);
        }
    }

    /**
     * Runs {@code work}; false when it failed in a way worth retrying, after a second's pause. An
     * engine away for minutes is logged once in full, then a line every {@value #RETRY_LOG_SECONDS} s.
     */
    private boolean attempt(String what, Runnable work) {
        try {
            work.run();
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!worthRetryingAnyCause(e)) {
                throw e;
            }
            support.health().failed(name, e);
            long now = System.nanoTime();
            if (failedAttempts == 0) {
                failingSince = now;
                lastLogged = now;
                log.error("{} failed in the {} reader; reading again from its stored positions in a second", what, name, e);
            } else if (now - lastLogged >= RETRY_LOG_SECONDS * 1_000_000_000L) {
                lastLogged = now;
                log.warn("{} still fails in the {} reader after {} attempts in {} s: {}", what, name, failedAttempts + 1,
                        (now - failingSince) / 1_000_000_000L, e.toString());
            }
            failedAttempts++;
            sleepQuietly(1000);
            return false;
        }
    }

    /** At a rebalance the consumer wraps what the listener met (reading the stored positions) in its own exception. */
    private boolean worthRetryingAnyCause(RuntimeException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RuntimeException r && worthRetrying(r)) {
                return true;
            }
        }
        return false;
    }

    private void stopped(RuntimeException error) {
        support.health().stopped(name, error);
        log.error("The {} reader stopped reading the log", name, error);
    }

    /**
     * Commits the positions to the reader's group, only so that its lag shows like any other
     * group's: a reader resumes from its own stored positions, never from these.
     */
    private void commitPositions() {
        if (group == null) {
            return;
        }
        Map<TopicPartition, Long> positions = positions();
        if (!positions.equals(committed)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            positions.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
            consumer.commitAsync(offsets, null);
            committed = positions;
        }
    }

    private void close() {
        try {
            beforeClose();
            commitPositions();
        } catch (RuntimeException e) {
            log.warn("The {} reader could not finish cleanly", name, e);
        }
        // A node that stops on purpose hands its partitions over at once; one that crashed keeps
        // them (static membership) until it is back or its session times out. A reader of its own
        // partitions has nothing to hand over, and waiting would only wait out its held fetch.
        consumer.close(group != null && group.shared()
                ? CloseOptions.timeout(Duration.ofSeconds(5)).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                : CloseOptions.timeout(Duration.ZERO));
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
        // Wakes the thread blocked in poll, then waits up to 10 s for it to end.
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return !support.props().replayMode();
    }

    @Override
    public int getPhase() {
        // Start before the web server accepts requests, stop after it stopped.
        return Integer.MAX_VALUE / 2;
    }
}

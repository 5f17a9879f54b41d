package org.c18n.speedlayer;

import org.c18n.eventlog.Topics;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.DeadLetters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.c18n.infra.C18nProperties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import org.c18n.eventlog.Event;
import tools.jackson.databind.ObjectMapper;

/**
 * The speed layer: one Kafka Streams application ({@value #APPLICATION_ID}) in this JVM, whose
 * topology is the features' parts (analytics, notifications, moderation rules), reading the domain topics once, and
 * only what the projector accepted ({@link ProjectorGate}). Several
 * nodes share its partitions, a restarted node resumes from its state store changelogs, and
 * every result is produced exactly once.
 */
@Component
@DependsOn("eventLog")
public class SpeedLayer implements SmartLifecycle, InitializingBean, DisposableBean {
    public static final String APPLICATION_ID = "c18n-streams";
    /** How often results leave (exactly-once: what a commit makes visible to the readers of the log). */
    public static final int COMMIT_MILLIS = 100;
    public static final long CACHE_BYTES = 16L * 1024 * 1024;
    /** How long a start waits for the first rebalance, so that the node is ready only once its speed layer is. */
    private static final Duration FIRST_REBALANCE = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(SpeedLayer.class);

    private final KafkaConnection kafka;
    private final List<TopologyPart> parts;
    private final C18nProperties props;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final ProjectorGate gate;
    private volatile KafkaStreams streams;
    /** Started as a lifecycle (its streams may run before: {@link #afterPropertiesSet}). */
    private volatile boolean running;

    public SpeedLayer(KafkaConnection kafka, C18nProperties props, DeadLetters deadLetters, ObjectMapper json,
                      io.micrometer.core.instrument.MeterRegistry registry, List<TopologyPart> parts, ProjectorGate gate) {
        this.parts = parts;
        this.gate = gate;
        this.json = json;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.props = props;
        this.registry = registry;
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            io.micrometer.core.instrument.Gauge.builder("c18n.streams.state", this, layer -> layer.state().equals(state.name()) ? 1 : 0)
                    .description("1 for the state the speed layer's Kafka Streams client is in on this node")
                    .tag("state", state.name()).register(registry);
        }
        for (String state : List.of("CREATED", "STARTING", "PARTITIONS_REVOKED", "PARTITIONS_ASSIGNED", "RUNNING",
                "PENDING_SHUTDOWN", "DEAD")) {
            io.micrometer.core.instrument.Gauge.builder("c18n.streams.threads", this, layer -> layer.threadsIn(state))
                    .description("Stream threads of this node in each state").tag("state", state).register(registry);
        }
    }

    private final io.micrometer.core.instrument.MeterRegistry registry;
    private io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics streamsMetrics;

    private long threadsIn(String state) {
        KafkaStreams current = streams;
        return current == null ? 0 : current.metadataForLocalThreads().stream().filter(t -> t.threadState().equals(state)).count();
    }

    /**
     * Starts the streams as soon as this bean exists, with the topics (the event log creates them
     * first): their first rebalance (internal topics, every task's stores) then goes on while the
     * rest of the node is built, instead of after it; {@link #start} waits for it.
     */
    @Override
    public void afterPropertiesSet() {
        if (isAutoStartup()) {
            launch();
        }
    }

    @Override
    public synchronized void start() {
        if (streams == null) {
            launch();
        }
        awaitRunning(streams);
        running = true;
    }

    private void launch() {
        Properties config = kafka.clientProperties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, props.dataDir().resolve("streams").toAbsolutePath().toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        // A record that cannot be read or processed is recorded and skipped; it never stops a task.
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class);
        config.put(StreamsDeadLetters.DEAD_LETTERS, deadLetters);
        // The record caches keep the last update of each key until the next commit (every 100 ms): a
        // count raised 200 times between two commits writes its changelog and its output once, not 200
        // times, and the dashboard is no later for it (nothing leaves before the commit anyway).
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, CACHE_BYTES);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_MILLIS);
        config.put(StreamsConfig.consumerPrefix("max.poll.interval.ms"), 60_000);
        // Static membership: a node that restarts gets its tasks back at once, one that stops leaves at once,
        // and one that crashed hands its tasks to the others after 10 s.
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                APPLICATION_ID + "-" + props.nodeIdentity());
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        gate.open();
        streams = new KafkaStreams(build(parts, json, gate), config);
        streams.setUncaughtExceptionHandler(error -> {
            log.error("A speed layer stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
    }

    /**
     * Until the first rebalance is over: the node then says it is ready (and takes traffic) only
     * when a notification or a count of what people do next comes within a commit, not after
     * the seconds a first rebalance takes (creating the internal topics, opening every task's stores).
     */
    private static void awaitRunning(KafkaStreams streams) {
        long started = System.nanoTime();
        long deadline = started + FIRST_REBALANCE.toNanos();
        try {
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                    log.warn("The speed layer is {} after {} s; the node starts without waiting for it", streams.state(),
                            FIRST_REBALANCE.toSeconds());
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        log.info("Speed layer running in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The domain topics as the speed layer's parts read them (each topic is a source once), as
     * events: a record that is not an event this node reads (not JSON, no envelope, a newer
     * version) is skipped as a dead letter before any part sees it.
     */
    public record Sources(KStream<String, Event> users, KStream<String, Event> communities,
                          KStream<String, Event> posts, KStream<String, Event> messages,
                          KStream<String, Event> moderation, GlobalKTable<String, Event> media) {}

    /**
     * Whether the parts may see the event at {@code offset} of the partition: the platform's is
     * {@link ProjectorGate} (only what the projector accepted).
     */
    @FunctionalInterface
    public interface Gate {
        boolean accepted(String topic, int partition, long offset, Event event);
    }

    /**
     * The topology of {@code parts}, added in their order (every node must build the same one);
     * {@code json} reads and writes the events and the parts' records; {@code gate} decides which
     * events of the streamed topics the parts see (the media table is not gated: the projector
     * refuses no media event).
     */
    public static Topology build(List<TopologyPart> parts, ObjectMapper json, Gate gate) {
        StreamsBuilder builder = new StreamsBuilder();
        JsonSerde<Event> events = JsonSerde.events(json);
        Consumed<String, Event> consumed = Consumed.with(Serdes.String(), events);
        java.util.function.Function<String, KStream<String, Event>> source = topic -> builder.stream(topic, consumed)
                .processValues(() -> new Gatekeeper(gate), Named.as("accepted-" + topic));
        Sources sources = new Sources(source.apply(Topics.USERS), source.apply(Topics.COMMUNITIES),
                source.apply(Topics.POSTS), source.apply(Topics.MESSAGES), source.apply(Topics.MODERATION),
                builder.globalTable(Topics.MEDIA, consumed, Materialized.<String, Event, KeyValueStore<Bytes, byte[]>>as("media-kinds")
                        .withKeySerde(Serdes.String()).withValueSerde(events)));
        parts.forEach(part -> part.addTo(builder, sources, json));
        return builder.build();
    }

    /** Forwards a source record only when the gate accepts it. */
    private static final class Gatekeeper implements FixedKeyProcessor<String, Event, Event> {
        private final Gate gate;
        private FixedKeyProcessorContext<String, Event> context;

        Gatekeeper(Gate gate) {
            this.gate = gate;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Event> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Event> record) {
            RecordMetadata where = context.recordMetadata().orElseThrow();
            if (gate.accepted(where.topic(), where.partition(), where.offset(), record.value())) {
                context.forward(record);
            }
        }
    }

    /**
     * Forgets everything the speed layer computed, so that it recomputes it from the start of the
     * log when it next starts: its consumer group (its positions), its internal topics (changelogs,
     * repartitions) and this node's local state. What it wrote stays: the analytics topic is
     * compacted (the recount overwrites each key), and notifications and flags come again with
     * the same ids, which their projections ignore. Only while no node runs the application.
     */
    public void reset() {
        if (streams != null) {
            throw new IllegalStateException("stop the speed layer before resetting it");
        }
        try (Admin admin = kafka.admin(Map.of())) {
            // A node that just stopped may take a moment to leave the group; one that crashed, its session timeout.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int members;
            while ((members = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS)
                    .get(APPLICATION_ID).members().size()) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the speed layer still runs on " + members
                            + " node(s): stop them before a replay resets it");
                }
                Thread.sleep(500);
            }
            try {
                admin.deleteConsumerGroups(List.of(APPLICATION_ID)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
            List<String> internal = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(APPLICATION_ID + "-")).toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
            }
            log.info("Speed layer reset: group {} and {} internal topics deleted", APPLICATION_ID, internal.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting the speed layer", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not reset the speed layer: " + e.getMessage(), e);
        }
        try {
            FileSystemUtils.deleteRecursively(props.dataDir().resolve("streams"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running Kafka Streams instance (its state stores, metrics, threads), or null when stopped. */
    public KafkaStreams streams() {
        return streams;
    }

    /** RUNNING, REBALANCING, ... as Kafka Streams reports it. */
    public String state() {
        KafkaStreams current = streams;
        return current == null ? "NOT_STARTED" : current.state().name();
    }

    @Override
    public boolean isAutoStartup() {
        return !props.replayMode();
    }

    /** A start that failed after the streams began closes them. */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaStreams current = streams;
        if (current != null) {
            gate.close(); // a record waiting for the projector is left for the next start
            // Leaving the group hands this node's tasks to the others at once (and lets a replay reset it).
            current.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(10)));
            streams = null;
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Running before the web server accepts requests (a node answered HTTP for 2–13 s while this
     * start waited for its tasks), stopped after it stopped; after the log's readers, before them.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2 + 1;
    }
}

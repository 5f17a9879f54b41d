package org.c18n.eventlog;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.c18n.C18nProperties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.analytics.AnalyticsTopology;
import org.c18n.moderation.ModerationTopology;
import org.c18n.notification.NotificationTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The speed layer: one Kafka Streams application ({@value #APPLICATION_ID}) in this JVM, whose
 * topology is the analytics, the notifications and the moderation rules, reading the domain topics once. Several
 * nodes share its partitions, a restarted node resumes from its state store changelogs, and
 * every result is produced exactly once.
 */
@Component
public class SpeedLayer implements SmartLifecycle {
    public static final String APPLICATION_ID = "c18n-streams";
    private static final Logger log = LoggerFactory.getLogger(SpeedLayer.class);

    private final KafkaConnection kafka;
    private final C18nProperties props;
    private volatile KafkaStreams streams;

    public SpeedLayer(KafkaConnection kafka, C18nProperties props) {
        this.kafka = kafka;
        this.props = props;
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, props.dataDir().resolve("streams").toAbsolutePath().toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        // Every update goes out at the next commit (every 100 ms with exactly-once): the dashboard is live.
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.consumerPrefix("max.poll.interval.ms"), 60_000);
        streams = new KafkaStreams(build(), config);
        streams.setUncaughtExceptionHandler(error -> {
            log.error("A speed layer stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    /** The domain topics as the speed layer's parts read them (each topic is a source once). */
    public record Sources(KStream<String, String> users, KStream<String, String> communities,
                          KStream<String, String> posts, KStream<String, String> messages,
                          KStream<String, String> moderation, GlobalKTable<String, String> media) {}

    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, String> consumed = Consumed.with(Serdes.String(), Serdes.String());
        Sources sources = new Sources(builder.stream(Topics.USERS, consumed), builder.stream(Topics.COMMUNITIES, consumed),
                builder.stream(Topics.POSTS, consumed), builder.stream(Topics.MESSAGES, consumed),
                builder.stream(Topics.MODERATION, consumed),
                builder.globalTable(Topics.MEDIA, consumed, Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("media-kinds")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String())));
        AnalyticsTopology.add(builder, sources);
        NotificationTopology.add(builder, sources);
        ModerationTopology.add(builder, sources);
        return builder.build();
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

    @Override
    public void stop() {
        KafkaStreams current = streams;
        if (current != null) {
            current.close(Duration.ofSeconds(10));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }
}

package org.c18n.analytics;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.c18n.C18nProperties;
import org.c18n.eventlog.KafkaConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the analytics topology in this JVM as a member of the Kafka Streams application
 * {@value AnalyticsTopology#APPLICATION_ID}: several nodes share its partitions, a restarted node
 * resumes from its state store changelogs, every result is produced exactly once.
 */
@Component
public class AnalyticsStreams implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsStreams.class);

    private final KafkaConnection kafka;
    private final C18nProperties props;
    private volatile KafkaStreams streams;

    public AnalyticsStreams(KafkaConnection kafka, C18nProperties props) {
        this.kafka = kafka;
        this.props = props;
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, AnalyticsTopology.APPLICATION_ID);
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
        streams = new KafkaStreams(AnalyticsTopology.build(), config);
        streams.setUncaughtExceptionHandler(error -> {
            log.error("Analytics stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
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

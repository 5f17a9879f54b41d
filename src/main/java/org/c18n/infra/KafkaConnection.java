package org.c18n.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How to reach the event log, whichever broker it is: its address and the settings every client
 * of ours needs to log in ({@code security}: SASL/TLS client properties, e.g. the embedded
 * broker's generated account). Every producer, consumer, admin client and Kafka Streams instance
 * starts from {@link #clientProperties()}.
 */
public record KafkaConnection(String bootstrapServers, int partitions, short replicationFactor,
                              Map<String, String> security) {

    public KafkaConnection {
        security = Map.copyOf(security);
    }

    /** The address and security settings, to which each client adds its own. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(security);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Reads a Kafka client properties file (as {@code C18N_KAFKA_PROPERTIES_FILE} names one). */
    public static Map<String, String> readProperties(Path file) throws IOException {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        Map<String, String> settings = new java.util.TreeMap<>();
        props.stringPropertyNames().forEach(name -> settings.put(name, props.getProperty(name).strip()));
        return settings;
    }

    /** Without the security settings: they hold the password. */
    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", partitions=" + partitions + ", replicationFactor="
                + replicationFactor + ", security=" + security.keySet() + "]";
    }

    /**
     * How long the broker holds the fetch of a reader whose partitions never change while it reads
     * (assigned, not in a shared group), while there is nothing to read. The broker answers as soon
     * as a record arrives (one byte is enough), so a longer hold costs no latency; what it saves is
     * the empty fetches of an idle node (Kafka's default, 500 ms, made each reader ask twice a
     * second). Not for a consumer in a shared group, or one that pauses partitions: the consumer
     * sends no new fetch while one is held, so a partition it is newly given would wait that long.
     * And a consumer holding one closes without waiting, or its close waits the held fetch out.
     */
    public static final int IDLE_FETCH_WAIT_MILLIS = 5_000;

    /**
     * A consumer of the log as every reader of ours needs it: committed records only, offsets
     * kept by us (never auto-committed), JSON envelopes as strings; {@code settings} add to that.
     */
    public KafkaConsumer<String, String> consumer(String clientId, Map<String, Object> settings) {
        Properties props = clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(settings);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** An admin client of the cluster; {@code settings} add to the address. */
    public Admin admin(Map<String, Object> settings) {
        Properties props = clientProperties();
        props.putAll(settings);
        return Admin.create(props);
    }

    /** Every partition of these topics, as a reader that assigns them itself needs them. */
    public static List<TopicPartition> partitionsOf(KafkaConsumer<String, String> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }
}

package org.c18n.eventlog;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** How to reach the event log, whichever broker it is. */
public record KafkaConnection(String bootstrapServers, int partitions, short replicationFactor) {

    /**
     * A consumer of the log as every reader of ours needs it: committed records only, offsets
     * kept by us (never auto-committed), JSON envelopes as strings; {@code settings} add to that.
     */
    public KafkaConsumer<String, String> consumer(String clientId, Map<String, Object> settings) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(settings);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}

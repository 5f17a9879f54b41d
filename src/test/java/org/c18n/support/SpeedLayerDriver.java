package org.c18n.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.c18n.eventlog.Event;
import org.c18n.speedlayer.SpeedLayer;
import tools.jackson.databind.json.JsonMapper;

/** The speed layer's whole topology without a broker: events in with the times a test chooses, results out. */
public final class SpeedLayerDriver implements AutoCloseable {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private final TopologyTestDriver driver;

    public SpeedLayerDriver(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "speed-layer-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As in the platform: every update goes out.
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(SpeedLayer.build(org.c18n.C18nApplication.SPEED_LAYER), config);
    }

    /** Writes an event of {@code type} to {@code topic}, with {@code at} as its time and its record's. */
    public Event send(String topic, String key, String type, UUID actor, Object data, Instant at) {
        Event event = new Event(UUID.randomUUID(), type, 1, at, actor, key, JSON.valueToTree(data));
        driver.createInputTopic(topic, new StringSerializer(), new StringSerializer())
                .pipeInput(key, JSON.writeValueAsString(event), at);
        return event;
    }

    /** What the topology wrote to {@code topic} since the last read of it. */
    public List<KeyValue<String, String>> read(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
    }

    /** The events written to {@code topic} since the last read, with their payloads as {@code type}. */
    public <T> List<T> events(String topic, String eventType, Class<T> type) {
        return read(topic).stream().map(kv -> JSON.readValue(kv.value, Event.class))
                .filter(e -> e.type().equals(eventType))
                .map(e -> JSON.treeToValue(e.data(), type)).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}

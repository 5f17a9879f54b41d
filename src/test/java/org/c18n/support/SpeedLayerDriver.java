package org.c18n.support;

import java.nio.file.Path;
import java.time.Duration;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CopyOnWriteArrayList;
import org.c18n.reader.DeadLetters;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.speedlayer.StreamsDeadLetters;
import tools.jackson.databind.json.JsonMapper;

/**
 * The speed layer's whole topology without a broker: events in with the times a test chooses,
 * results out, and what it skipped (as the platform does, through {@link StreamsDeadLetters}) kept
 * in {@link #deadLetters()}.
 */
public final class SpeedLayerDriver implements AutoCloseable {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private final TopologyTestDriver driver;
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();

    public SpeedLayerDriver(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "speed-layer-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As in the platform (the test driver commits, so flushes the caches, after every record).
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, SpeedLayer.CACHE_BYTES);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.class);
        config.put(StreamsDeadLetters.DEAD_LETTERS, new DeadLetters(null, new SimpleMeterRegistry()) {
            @Override
            public void record(String reader, Letter letter, String reason) {
                System.err.printf("%s skipped %s@%d: %s%n", reader, letter.topic(), letter.offset(), reason);
                deadLetters.add(letter.topic() + "@" + letter.offset() + " " + reason);
            }
        });
        driver = new TopologyTestDriver(SpeedLayer.build(org.c18n.C18nApplication.SPEED_LAYER, JSON, (topic, partition, offset, event) -> true), config);
    }

    /** Writes a record as it is, with {@code at} as its time. */
    public void sendRaw(String topic, String key, String value, Instant at) {
        driver.createInputTopic(topic, new StringSerializer(), new StringSerializer()).pipeInput(key, value, at);
    }

    /** The records the speed layer skipped so far: {@code topic@offset reason}. */
    public List<String> deadLetters() {
        return deadLetters;
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
        driver.advanceWallClockTime(Duration.ofMillis(SpeedLayer.COMMIT_MILLIS)); // what waits for the clock goes out
        return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer()).readKeyValuesToList();
    }

    /** The events written to {@code topic} since the last read, with their payloads as {@code type}. */
    public <T> List<T> events(String topic, String eventType, Class<T> type) {
        return read(topic).stream().map(kv -> Event.parse(JSON, kv.value))
                .filter(e -> e.type().equals(eventType))
                .map(e -> e.data(type)).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}

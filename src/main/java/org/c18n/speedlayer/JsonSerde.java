package org.c18n.speedlayer;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.c18n.eventlog.Event;
import tools.jackson.databind.ObjectMapper;

/**
 * The speed layer's values and composite keys as JSON: events of the log (read with
 * {@link Event#parse}, so that a record that is not an event this node reads fails in the
 * deserializer, where {@link StreamsDeadLetters} skips it) and the records its steps and stores
 * keep.
 */
public final class JsonSerde<T> implements Serde<T> {
    private final ObjectMapper json;
    private final Function<byte[], T> read;

    private JsonSerde(ObjectMapper json, Function<byte[], T> read) {
        this.json = json;
        this.read = read;
    }

    /** Events of the log; writes them as {@link org.c18n.eventlog.EventLog} does. */
    public static JsonSerde<Event> events(ObjectMapper json) {
        return new JsonSerde<>(json, bytes -> Event.parse(json, bytes == null ? null : new String(bytes, StandardCharsets.UTF_8)));
    }

    /** Records of {@code type}, as Jackson writes them (in the order of their components). */
    public static <T extends Record> JsonSerde<T> of(ObjectMapper json, Class<T> type) {
        return new JsonSerde<>(json, bytes -> bytes == null ? null : json.readValue(bytes, type));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : json.writeValueAsBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> read.apply(bytes);
    }
}

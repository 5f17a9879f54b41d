package org.c18n.speedlayer;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Keys and values the speed layer writes for every event (its stores' keys, the sums it re-keys)
 * as the short text they already have, instead of JSON: Jackson on each store access was the
 * largest part of the stream thread's time.
 */
public final class TextSerde<T> implements Serde<T> {
    private final Function<T, String> write;
    private final Function<String, T> read;

    private TextSerde(Function<T, String> write, Function<String, T> read) {
        this.write = write;
        this.read = read;
    }

    public static <T> TextSerde<T> of(Function<T, String> write, Function<String, T> read) {
        return new TextSerde<>(write, read);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write.apply(value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read.apply(new String(bytes, StandardCharsets.UTF_8));
    }
}

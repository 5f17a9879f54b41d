package org.c18n.analytics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.time.Duration;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.speedlayer.SpeedLayer;

/**
 * Adds up, per input partition (the task's), what the events contribute to each key, and forwards
 * each key's sum once per {@link SpeedLayer#COMMIT_MILLIS}: the re-keying that follows carries one
 * record per key and commit instead of one per event (a busy series or trending tag gets hundreds
 * of events between two commits).
 *
 * <p>The sums wait in a state store, so a commit holds them together with the input positions that
 * produced them: a task that crashes before forwarding them finds them again, and a sum is
 * forwarded and removed in the same commit, so none is counted twice.
 */
final class PartitionDeltas<K, V, KO> implements Processor<String, Fact, KO, V> {
    /** What one event adds: to each key, a value; {@code streamTime} is the latest event time the task has seen. */
    interface Contributions<K, V> {
        void of(Fact fact, long time, long streamTime, BiConsumer<K, V> add);
    }

    /** Two contributions to {@code key} as one. */
    interface Combine<K, V> {
        V apply(K key, V sum, V more);
    }

    private final String store;
    private final Contributions<K, V> contributions;
    private final Combine<K, V> combine;
    private final BiFunction<K, V, Record<KO, V>> emitted;
    private final Set<K> changed = new LinkedHashSet<>();
    private ProcessorContext<KO, V> context;
    private KeyValueStore<K, V> pending;
    private long streamTime = Long.MIN_VALUE;
    /** Only while something waits: a punctuation makes the task commit, even with nothing to say. */
    private Cancellable emitting;

    PartitionDeltas(String store, Contributions<K, V> contributions, Combine<K, V> combine, BiFunction<K, V, Record<KO, V>> emitted) {
        this.store = store;
        this.contributions = contributions;
        this.combine = combine;
        this.emitted = emitted;
    }

    @Override
    public void init(ProcessorContext<KO, V> context) {
        this.context = context;
        this.pending = context.getStateStore(store);
        try (var all = pending.all()) {
            all.forEachRemaining(kv -> changed.add(kv.key));
        }
        if (!changed.isEmpty()) {
            scheduleEmit();
        }
    }

    @Override
    public void process(Record<String, Fact> record) {
        streamTime = Math.max(streamTime, record.timestamp());
        contributions.of(record.value(), record.timestamp(), streamTime, (key, value) -> {
            V sum = pending.get(key);
            pending.put(key, sum == null ? value : combine.apply(key, sum, value));
            changed.add(key);
        });
        if (emitting == null && !changed.isEmpty()) {
            scheduleEmit();
        }
    }

    private void scheduleEmit() {
        emitting = context.schedule(Duration.ofMillis(SpeedLayer.COMMIT_MILLIS), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    private void emit() {
        for (K key : changed) {
            V sum = pending.get(key);
            if (sum != null) {
                context.forward(emitted.apply(key, sum));
                pending.delete(key);
            }
        }
        changed.clear();
        emitting.cancel();
        emitting = null;
    }
}

package org.c18n.analytics;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The totals of the events of one input partition (the task's): each fact adds one to its counter,
 * and the partition's counts that changed are written under {@code total|<counter>|<partition>}
 * every {@value #EMIT_MILLIS} ms, so a count raised a hundred times between two commits is written
 * once. Counting where the events already are spares a re-keying through a repartition topic and its
 * commit; the view adds up the partitions' counts.
 *
 * <p>What changed is known in memory only, so a task that starts (after a crash, say, whose last
 * commit may hold counts whose results it did not write) writes all of its counts again.
 */
final class PartitionTotals implements Processor<String, Fact, String, String> {
    static final long EMIT_MILLIS = 50;

    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> totals;
    private int partition;
    private final Set<String> changed = new LinkedHashSet<>();
    /** Only while something waits to be written: a punctuation makes the task commit, even with nothing to say. */
    private Cancellable emitting;

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.totals = context.getStateStore(AnalyticsTopology.PARTITION_TOTALS);
        this.partition = context.taskId().partition();
        try (var all = totals.all()) {
            all.forEachRemaining(kv -> changed.add(kv.key));
        }
        if (!changed.isEmpty()) {
            scheduleEmit();
        }
    }

    private void scheduleEmit() {
        emitting = context.schedule(Duration.ofMillis(EMIT_MILLIS), PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    @Override
    public void process(Record<String, Fact> record) {
        String counter = record.value().counter();
        Long before = totals.get(counter);
        totals.put(counter, (before == null ? 0 : before) + 1);
        changed.add(counter);
        if (emitting == null) {
            scheduleEmit();
        }
    }

    private void emit(long now) {
        for (String counter : changed) {
            Long count = totals.get(counter);
            if (count != null) {
                context.forward(new Record<>(new AnalyticsKey.Total(counter, partition).text(), count.toString(), now));
            }
        }
        changed.clear();
        emitting.cancel();
        emitting = null;
    }
}

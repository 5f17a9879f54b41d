package org.c18n.analytics;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The totals of the events of one input partition (the task's): each fact adds one to its counter
 * and writes the partition's new count under {@code total|<counter>|<partition>}. Counting where
 * the events already are spares a re-keying through a repartition topic and its commit; the view
 * adds up the partitions' counts.
 */
final class PartitionTotals implements Processor<String, Fact, String, String> {
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> totals;
    private int partition;

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.totals = context.getStateStore(AnalyticsTopology.PARTITION_TOTALS);
        this.partition = context.taskId().partition();
    }

    @Override
    public void process(Record<String, Fact> record) {
        String counter = record.value().counter();
        Long before = totals.get(counter);
        long count = (before == null ? 0 : before) + 1;
        totals.put(counter, count);
        context.forward(record.withKey(new AnalyticsKey.Total(counter, partition).text()).withValue(Long.toString(count)));
    }
}

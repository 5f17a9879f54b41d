package org.c18n.analytics;

import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * An actor's first event in a window of one size: forwards the window's start (as key and value)
 * the first time an actor is seen in it, and nothing for the actor's later events there, which
 * therefore write nothing either. A window closes {@link AnalyticsTopology#GRACE} after its end in
 * stream time (the latest event time seen), as the windowed counts close theirs; a later event is dropped.
 */
final class FirstSeen implements Processor<UUID, Fact, Long, Long> {
    private final String store;
    private final long size;
    private ProcessorContext<Long, Long> context;
    private WindowStore<UUID, Long> seen;
    private long streamTime = Long.MIN_VALUE;

    FirstSeen(String store, Duration size) {
        this.store = store;
        this.size = size.toMillis();
    }

    @Override
    public void init(ProcessorContext<Long, Long> context) {
        this.context = context;
        this.seen = context.getStateStore(store);
    }

    @Override
    public void process(Record<UUID, Fact> record) {
        long at = record.timestamp();
        streamTime = Math.max(streamTime, at);
        long start = Math.floorDiv(at, size) * size;
        if (start + size <= streamTime - AnalyticsTopology.GRACE.toMillis() || seen.fetch(record.key(), start) != null) {
            return;
        }
        seen.put(record.key(), start, start);
        context.forward(record.withKey(start).withValue(start));
    }
}

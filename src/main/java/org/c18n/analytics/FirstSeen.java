package org.c18n.analytics;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * An actor's first event in a window of one size: forwards a record the first time an actor is
 * seen in it, and nothing for the actor's later events there, which therefore write nothing either.
 * A window closes {@link AnalyticsTopology#GRACE} after its end in stream time (the latest event
 * time seen), as the windowed counts close theirs; a later event is dropped.
 *
 * <p>Used twice per window size: where the events are ({@link #sightings}: an actor's first event
 * per window and input partition goes on to be re-keyed by actor, the rest stay put) and after the
 * re-keying ({@link #windowStarts}: the first across partitions adds one to the window's count).
 */
final class FirstSeen<V, KO> implements Processor<UUID, V, KO, Long> {
    private final String store;
    private final long size;
    private final BiFunction<Record<UUID, V>, Long, Record<KO, Long>> forwarded;
    private ProcessorContext<KO, Long> context;
    private WindowStore<UUID, Long> seen;
    private long streamTime = Long.MIN_VALUE;

    private FirstSeen(String store, Duration size, BiFunction<Record<UUID, V>, Long, Record<KO, Long>> forwarded) {
        this.store = store;
        this.size = size.toMillis();
        this.forwarded = forwarded;
    }

    /** Forwards the first sighting as it came: the actor, with the event's time as value. */
    static <V> FirstSeen<V, UUID> sightings(String store, Duration size) {
        return new FirstSeen<>(store, size, (record, start) -> record.withValue(record.timestamp()));
    }

    /** Forwards the window's start, as key and value. */
    static <V> FirstSeen<V, Long> windowStarts(String store, Duration size) {
        return new FirstSeen<>(store, size, (record, start) -> record.withKey(start).withValue(start));
    }

    @Override
    public void init(ProcessorContext<KO, Long> context) {
        this.context = context;
        this.seen = context.getStateStore(store);
    }

    @Override
    public void process(Record<UUID, V> record) {
        long at = record.timestamp();
        streamTime = Math.max(streamTime, at);
        long start = Math.floorDiv(at, size) * size;
        if (start + size <= streamTime - AnalyticsTopology.GRACE.toMillis() || seen.fetch(record.key(), start) != null) {
            return;
        }
        seen.put(record.key(), start, start);
        context.forward(forwarded.apply(record, start));
    }
}

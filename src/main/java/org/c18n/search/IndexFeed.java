package org.c18n.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.PersonKeys;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.reader.DeadLetters;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Applies batches of the log to an index (either backend) the way the views saw them: before
 * applying a batch it waits until the projector has applied it, and skips the events the
 * projector rejected (a second claim of a username, an edit of a deleted post), so search never
 * shows what the views refused. A record that cannot be read or indexed is recorded and skipped.
 */
@Component
class IndexFeed {
    private final ProjectionTracker projection;
    private final AccessFilters access;
    private final HitNames names;
    private final ObjectMapper json;
    private final PersonKeys keys;
    private final SearchFeed feed = new SearchFeed();

    IndexFeed(ProjectionTracker projection, AccessFilters access, HitNames names, ObjectMapper json, PersonKeys keys) {
        this.projection = projection;
        this.access = access;
        this.names = names;
        this.json = json;
        this.keys = keys;
    }

    /** What a batch held: each record's event (null: unreadable) and whether the projector rejected it. */
    record Applied(List<Event> events, Set<UUID> rejected) {
        boolean indexed(int i) {
            Event event = events.get(i);
            return event != null && !rejected.contains(event.id());
        }
    }

    /**
     * Applies {@code records} once the projector has applied them, leaving out what it rejected. Waits
     * for the projector in steps of a second until {@code patience} has passed (then fails: the
     * projector is not running); {@code stopping} ends the wait when the reader is asked to stop.
     */
    Applied apply(SearchWrites target, List<ConsumerRecord<String, String>> records, Duration patience,
                  BooleanSupplier stopping, BiConsumer<ConsumerRecord<String, String>, String> deadLetter) {
        List<Event> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            events.add(readable(record, deadLetter));
        }
        projection.awaitApplied(records, stopping, patience);
        Set<UUID> rejected = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            Event event = events.get(i);
            if (event != null && projection.refused(record.topic(), record.partition(), record.offset(), event.id())) {
                rejected.add(event.id());
            }
        }
        Applied applied = new Applied(events, rejected);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> record = records.get(i);
            if (applied.indexed(i)) {
                try {
                    feed.apply(target, events.get(i));
                    // The projector has applied it: a filter built or a name read from now on sees the change.
                    access.changedBy(events.get(i));
                    names.changedBy(events.get(i));
                } catch (java.io.UncheckedIOException | org.apache.lucene.store.AlreadyClosedException
                         | OpenSearchClient.Unavailable e) {
                    throw e; // the index itself failed, not this event
                } catch (RuntimeException e) {
                    deadLetter.accept(record, DeadLetters.reason("cannot be indexed", e));
                }
            }
            target.advance(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        return applied;
    }

    /** The record's event, or null (recorded as skipped) when it is not one. */
    private Event readable(ConsumerRecord<String, String> record, BiConsumer<ConsumerRecord<String, String>, String> deadLetter) {
        try {
            return Event.parse(json, record.value(), keys);
        } catch (Event.UnreadableEvent e) {
            deadLetter.accept(record, "unreadable: " + e.getMessage());
            return null;
        }
    }
}

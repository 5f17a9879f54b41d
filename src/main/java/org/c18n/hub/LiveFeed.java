package org.c18n.hub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.PersonKeys;
import org.c18n.eventlog.LogPosition;
import org.c18n.reader.DeadLetters;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Delivers from the log, never from a shortcut: every node reads the topics the features ask for
 * (c18n.messages, c18n.communities, c18n.notifications) from the end with its own consumer, and
 * hands each event to their handlers, which pass it on to the local connections. A message is in
 * the log before any client sees it, in the room's order. A record a handler cannot apply is
 * dead-lettered; the feed carries on.
 */
@Component
public class LiveFeed extends LogReader {
    /** topic → its handlers, in the order they were registered. */
    private final Map<String, List<BiConsumer<Event, LogPosition>>> handlers = new LinkedHashMap<>();
    /** How far this node's feed has read each partition (next offset): what its connections may have seen. */
    private final Map<TopicPartition, Long> fed = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private volatile boolean started;

    private final PersonKeys keys;

    public LiveFeed(ReaderSupport support, ObjectMapper json, PersonKeys keys) {
        super(support, "gateway", List.of(), Start.END);
        this.keys = keys;
        this.json = json;
    }

    /** Each event of {@code topic} read from now on goes to {@code handler} (on the feed's one thread, in log order). */
    public synchronized void on(String topic, BiConsumer<Event, LogPosition> handler) {
        if (started) {
            throw new IllegalStateException("The live feed reads already: register handlers as the application starts");
        }
        handlers.computeIfAbsent(topic, t -> new ArrayList<>()).add(handler);
    }

    /** The next offset this node's feed reads in the partition: every event before it has been handed on. */
    public long fed(String topic, int partition) {
        return fed.getOrDefault(new TopicPartition(topic, partition), 0L);
    }

    /** The topic's partition count, as the feed found it when it started (1 before). */
    public int partitions(String topic) {
        return partitions.getOrDefault(topic, 1);
    }

    @Override
    protected synchronized List<String> topics() {
        return List.copyOf(handlers.keySet());
    }

    @Override
    public synchronized void start() {
        started = true;
        if (!handlers.isEmpty()) {
            super.start();
        }
    }

    /** Live delivery begins where the feed starts. */
    @Override
    protected void positioned() {
        positions().forEach((partition, next) -> {
            fed.put(partition, next);
            partitions.merge(partition.topic(), 1, Integer::sum);
        });
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        for (ConsumerRecord<String, String> record : batch) {
            handOn(record);
            fed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
    }

    private void handOn(ConsumerRecord<String, String> record) {
        Event event;
        try {
            event = Event.parse(json, record.value(), keys);
        } catch (RuntimeException e) {
            deadLetter(record, DeadLetters.reason("cannot be delivered", e));
            return;
        }
        LogPosition position = new LogPosition(record.topic(), record.partition(), record.offset());
        for (BiConsumer<Event, LogPosition> handler : handlers.get(record.topic())) {
            try {
                handler.accept(event, position);
            } catch (RuntimeException e) {
                deadLetter(record, DeadLetters.reason("cannot be delivered", e));
            }
        }
    }
}

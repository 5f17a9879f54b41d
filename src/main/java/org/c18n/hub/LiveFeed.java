package org.c18n.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.DeadLetters;
import org.c18n.reader.ReaderHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
public class LiveFeed implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final String READER = "gateway";

    private final KafkaConnection kafka;
    private final ObjectMapper json;
    private final DeadLetters deadLetters;
    private final ReaderHealth health;
    private final boolean replayMode;
    /** topic → its handlers, in the order they were registered. */
    private final Map<String, List<BiConsumer<Event, LogPosition>>> handlers = new LinkedHashMap<>();
    /** How far this node's feed has read each partition (next offset): what its connections may have seen. */
    private final Map<TopicPartition, Long> fed = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private volatile Thread thread;

    public LiveFeed(KafkaConnection kafka, ObjectMapper json, DeadLetters deadLetters, ReaderHealth health,
                    C18nProperties props) {
        this.kafka = kafka;
        this.json = json;
        this.deadLetters = deadLetters;
        this.health = health;
        this.replayMode = props.replayMode();
    }

    /** Each event of {@code topic} read from now on goes to {@code handler} (on the feed's one thread, in log order). */
    public synchronized void on(String topic, BiConsumer<Event, LogPosition> handler) {
        if (consumer != null) {
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
    public synchronized void start() {
        if (handlers.isEmpty()) {
            return;
        }
        consumer = kafka.consumer("c18n-gateway", Map.of());
        List<TopicPartition> assigned = KafkaConnection.partitionsOf(consumer, List.copyOf(handlers.keySet()));
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        for (TopicPartition p : assigned) {
            fed.put(p, consumer.position(p));
            partitions.merge(p.topic(), 1, Integer::sum);
        }
        running = true;
        thread = new Thread(this::run, "c18n-gateway-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    handOn(record);
                    fed.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            health.stopped(READER, e);
            log.error("The live feed stopped reading the log: sockets on this node get no more events", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handOn(ConsumerRecord<String, String> record) {
        Event event;
        try {
            event = Event.parse(json, record.value());
        } catch (RuntimeException e) {
            deadLetters.record(READER, record, DeadLetters.reason("cannot be delivered", e));
            return;
        }
        LogPosition position = new LogPosition(record.topic(), record.partition(), record.offset());
        for (BiConsumer<Event, LogPosition> handler : handlers.get(record.topic())) {
            try {
                handler.accept(event, position);
            } catch (RuntimeException e) {
                deadLetters.record(READER, record, DeadLetters.reason("cannot be delivered", e));
            }
        }
    }

    @Override
    public boolean isAutoStartup() {
        return !replayMode;
    }

    @Override
    public void stop() {
        running = false;
        KafkaConnection.stopReader(consumer, thread);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

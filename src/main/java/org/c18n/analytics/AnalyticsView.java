package org.c18n.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.c18n.infra.C18nProperties;
import org.c18n.chat.ChatSocket;
import org.c18n.chat.Gateway;
import org.c18n.reader.DeadLetters;
import org.c18n.infra.KafkaConnection;
import org.c18n.reader.ReaderHealth;
import org.c18n.eventlog.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * This node's copy of what the streams computed: every node reads the compacted topic
 * {@value Topics#ANALYTICS} from its start, so any node answers for the whole platform whichever
 * node's stream threads computed a count. Changes go out to subscribed sockets (admins'
 * dashboards) at most every {@value #PUSH_MILLIS} ms, in one frame.
 */
@Component
public class AnalyticsView implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsView.class);
    private static final String READER = "analytics";
    static final long PUSH_MILLIS = 100;
    /** How long each window's points are kept. */
    static final Map<String, Duration> KEEP = Map.of("minute", Duration.ofHours(24), "hour", Duration.ofDays(31));

    /** One count of a series: {@code community} empty for the whole platform. */
    public record Point(String window, String type, String community, long at, long count) {}

    private final KafkaConnection kafka;
    private final Gateway gateway;
    private final ObjectMapper json;
    private final DeadLetters deadLetters;
    private final ReaderHealth health;
    private final boolean replayMode;
    private final Map<String, Long> totals = new ConcurrentHashMap<>();
    /** One series: the counts of a type in windows of one size, in a community or (empty) in all of them. */
    private record Line(String window, String type, String community) {}

    /** series → window start → count. */
    private final Map<Line, NavigableMap<Long, Long>> series = new ConcurrentHashMap<>();
    /** kind (community, tag, poster) → id → score. */
    private final Map<String, Map<String, DecayedScore>> trending = new ConcurrentHashMap<>();
    private boolean trendingChanged;
    private final Map<String, Long> changedTotals = new HashMap<>();
    private final List<Point> changedPoints = new ArrayList<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private volatile Thread thread;

    public AnalyticsView(KafkaConnection kafka, Gateway gateway, ObjectMapper json, DeadLetters deadLetters,
                         ReaderHealth health, C18nProperties props) {
        this.deadLetters = deadLetters;
        this.health = health;
        this.kafka = kafka;
        this.gateway = gateway;
        this.json = json;
        this.replayMode = props.replayMode();
    }

    public Map<String, Long> totals() {
        return new TreeMap<>(totals);
    }

    /** The points of every type of {@code window} between {@code from} and {@code to}, for one community or all. */
    public Map<String, List<long[]>> series(String window, String community, Instant from, Instant to) {
        Map<String, List<long[]>> result = new TreeMap<>();
        series.forEach((line, points) -> {
            if (line.window().equals(window) && line.community().equals(community == null ? "" : community)) {
                List<long[]> list = new ArrayList<>();
                synchronized (points) {
                    points.subMap(from.toEpochMilli(), true, to.toEpochMilli(), true)
                            .forEach((at, count) -> list.add(new long[] {at, count}));
                }
                result.put(line.type(), list);
            }
        });
        return result;
    }

    /** The {@code limit} highest scores of a kind (community, tag, poster), as they are now. */
    public List<Map.Entry<String, Double>> trending(String kind, int limit) {
        long now = System.currentTimeMillis();
        return trending.getOrDefault(kind, Map.of()).entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().at(now, AnalyticsTopology.halfLife(kind))))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .toList();
    }

    @Override
    public void start() {
        consumer = kafka.consumer("c18n-analytics-view", Map.of());
        List<TopicPartition> partitions = KafkaConnection.partitionsOf(consumer, List.of(Topics.ANALYTICS));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        running = true;
        thread = new Thread(this::run, "c18n-analytics-view");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long lastPush = System.nanoTime();
        try {
            while (running) {
                boolean unpushed = trendingChanged || !changedTotals.isEmpty() || !changedPoints.isEmpty();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(unpushed ? PUSH_MILLIS : 1000))) {
                    try {
                        apply(AnalyticsKey.parse(record.key()), record.value());
                    } catch (RuntimeException e) {
                        deadLetters.record(READER, record, DeadLetters.reason("unreadable", e));
                    }
                }
                if (System.nanoTime() - lastPush >= PUSH_MILLIS * 1_000_000) {
                    push();
                    lastPush = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            health.stopped(READER, e);
            log.error("The analytics view stopped reading the log", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    void apply(AnalyticsKey key, String value) {
        if (key instanceof AnalyticsKey.Trending trend) {
            trending.computeIfAbsent(trend.kind(), k -> new ConcurrentHashMap<>()).put(trend.id(), DecayedScore.parse(value));
            trendingChanged = true;
        } else if (key instanceof AnalyticsKey.Total total) {
            long count = Long.parseLong(value);
            totals.put(total.counter(), count);
            changedTotals.put(total.counter(), count);
        } else if (key instanceof AnalyticsKey.Series point) {
            long count = Long.parseLong(value);
            Duration keep = KEEP.get(point.window());
            if (keep == null || point.start() < System.currentTimeMillis() - keep.toMillis()) {
                return;
            }
            NavigableMap<Long, Long> points = series.computeIfAbsent(new Line(point.window(), point.type(), point.community()),
                    k -> new TreeMap<>());
            synchronized (points) {
                points.put(point.start(), count);
                points.headMap(System.currentTimeMillis() - keep.toMillis()).clear();
            }
            changedPoints.add(new Point(point.window(), point.type(), point.community(), point.start(), count));
        }
    }

    private void push() {
        if (changedTotals.isEmpty() && changedPoints.isEmpty() && !trendingChanged) {
            return;
        }
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "analytics");
        frame.put("trending", trendingChanged);
        trendingChanged = false;
        frame.put("totals", new HashMap<>(changedTotals));
        frame.put("points", new ArrayList<>(changedPoints));
        changedTotals.clear();
        changedPoints.clear();
        gateway.publish(ChatSocket.ANALYTICS_FEED, json.writeValueAsString(frame));
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

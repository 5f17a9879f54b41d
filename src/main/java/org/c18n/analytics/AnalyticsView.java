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
import org.c18n.eventlog.Topics;
import org.c18n.hub.Hub;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * This node's copy of what the streams computed: every node reads the compacted topic
 * {@value Topics#ANALYTICS} from its start, so any node answers for the whole platform whichever
 * node's stream threads computed a count. Changes go out to subscribed sockets (admins'
 * dashboards) at most every {@value #PUSH_MILLIS} ms, in one frame.
 */
@Component
public class AnalyticsView extends LogReader {
    /** The socket feed admins' dashboards subscribe to. */
    static final String FEED = "analytics";
    static final long PUSH_MILLIS = 100;
    /** How long each window's points are kept. */
    static final Map<String, Duration> KEEP = Map.of("minute", Duration.ofHours(24), "hour", Duration.ofDays(31));

    /** One count of a series: {@code community} empty for the whole platform. */
    public record Point(String window, String type, String community, long at, long count) {}

    private final Hub hub;
    private final ObjectMapper json;
    private final Map<String, Long> totals = new ConcurrentHashMap<>();
    /** counter → input partition → that partition's count, whose sum is the total. */
    private final Map<String, Map<Integer, Long>> partialTotals = new HashMap<>();
    /** One series: the counts of a type in windows of one size, in a community or (empty) in all of them. */
    private record Line(String window, String type, String community) {}

    /** series → window start → count. */
    private final Map<Line, NavigableMap<Long, Long>> series = new ConcurrentHashMap<>();
    /** kind (community, tag, poster) → id → score. */
    private final Map<String, Map<String, DecayedScore>> trending = new ConcurrentHashMap<>();
    private boolean trendingChanged;
    private final Map<String, Long> changedTotals = new HashMap<>();
    private final List<Point> changedPoints = new ArrayList<>();
    private long lastPush = System.nanoTime();

    public AnalyticsView(ReaderSupport support, Hub hub, Users users, ObjectMapper json) {
        super(support, "analytics", List.of(Topics.ANALYTICS), Start.BEGINNING);
        this.hub = hub;
        hub.feed(FEED, user -> users.byId(user).map(UserView::admin).orElse(false), "Only admins receive the analytics feed");
        this.json = json;
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
    protected Duration pollTimeout() {
        boolean unpushed = trendingChanged || !changedTotals.isEmpty() || !changedPoints.isEmpty();
        return Duration.ofMillis(unpushed ? PUSH_MILLIS : 1000);
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        applyEach(batch, record -> apply(AnalyticsKey.parse(record.key()), record.value()));
    }

    @Override
    protected void afterPoll() {
        if (System.nanoTime() - lastPush >= PUSH_MILLIS * 1_000_000) {
            push();
            lastPush = System.nanoTime();
        }
    }

    void apply(AnalyticsKey key, String value) {
        if (key instanceof AnalyticsKey.Trending trend) {
            trending.computeIfAbsent(trend.kind(), k -> new ConcurrentHashMap<>()).put(trend.id(), DecayedScore.parse(value));
            trendingChanged = true;
        } else if (key instanceof AnalyticsKey.Total total) {
            long partial = Long.parseLong(value);
            if (total.partition() < 0) {
                return; // a whole total of an older version, left in the compacted topic: the partial counts replace it
            }
            Map<Integer, Long> partials = partialTotals.computeIfAbsent(total.counter(), k -> new HashMap<>());
            partials.put(total.partition(), partial);
            long count = partials.values().stream().mapToLong(Long::longValue).sum();
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
        hub.publish(FEED, json.writeValueAsString(frame));
    }
}
